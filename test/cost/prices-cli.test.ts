import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPrices, USAGE } from '../../cost/prices-cli';
import { loadSnapshot } from '../../cost/prices';
import type { FetchLike, RetailPricesPage } from '../../cost/refresh';

const FILE = path.resolve(__dirname, '../../cost/price-snapshot.json');

async function run(args: string[], fetch: FetchLike = async () => ({ ok: false, status: 599, json: async () => ({}) })) {
  let out = '';
  let err = '';
  const code = await runPrices(args, { out: (t) => (out += t), err: (t) => (err += t) }, { fetch, now: () => new Date('2026-12-01T00:00:00Z') });
  return { code, out, err };
}

/** The API as a fake: every query answers one empty page, but for the D2ds_v5 one, which answers a Linux and a Windows row. */
const fakeApi: FetchLike = async (url) => {
  const page: RetailPricesPage = {
    Items: decodeURIComponent(url).includes("armSkuName eq 'Standard_D2ds_v5'")
      ? ['Virtual Machines Ddsv5 Series', 'Virtual Machines Ddsv5 Series Windows'].map((productName, i) => ({
          currencyCode: 'EUR',
          tierMinimumUnits: 0,
          retailPrice: 0.1 + i,
          armRegionName: 'westeurope',
          effectiveStartDate: '2026-05-01T00:00:00Z',
          meterId: `meter-${i}`,
          meterName: 'D2ds v5',
          productName,
          skuName: 'D2ds v5',
          serviceName: 'Virtual Machines',
          unitOfMeasure: '1 Hour',
          type: 'Consumption',
          armSkuName: 'Standard_D2ds_v5',
        }))
      : [],
    NextPageLink: null,
  };
  return { ok: true, status: 200, json: async () => page };
};

describe('npm run prices', () => {
  it('--help prints the usage and exits 0', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
  });

  it('refuses an unknown option and a bad currency in one line, exit 2', async () => {
    expect(await run(['--frobnicate'])).toEqual({
      code: 2,
      out: '',
      err: "npm run prices: unknown option '--frobnicate' (npm run prices -- --help lists the options)\n",
    });
    expect((await run(['--refresh', '--currency', 'eur'])).err).toBe(
      "npm run prices: --currency 'eur' is not an ISO 4217 code such as USD or EUR (npm run prices -- --help lists the options)\n",
    );
  });

  it('prints what the snapshot holds: rows by service, the currency and the date of its prices', async () => {
    const snapshot = loadSnapshot(FILE);
    const { code, out } = await run(['--file', FILE]);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe(
      `${FILE}: ${snapshot.entries.length} prices in USD, ${new Set(snapshot.entries.map((e) => e.armRegionName)).size} regions, as of ${snapshot.pricesAsOf} (hand-sourced)`,
    );
    const registryRows = snapshot.entries.filter((e) => e.serviceName === 'Container Registry').length;
    expect(out).toMatch(new RegExp(`^ {2}Container Registry +${registryRows}$`, 'm'));
  });

  it('--refresh rebuilds the file from the API in the currency asked; a refresh that gets nothing leaves it as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prices-cli-'));
    const file = path.join(dir, 'prices.json');
    const { code, out, err } = await run(['--refresh', '--currency', 'EUR', '--file', file], fakeApi);
    expect(code).toBe(0);
    expect(err).toMatch(/queried \d+\/\d+, 1 prices kept/);
    expect(out).toBe(`${file}: 1 prices in EUR, 1 regions, as of 2026-12-01 (refreshed)\n  Virtual Machines  1\n`);
    expect(loadSnapshot(file).entries).toEqual([
      expect.objectContaining({ armSkuName: 'Standard_D2ds_v5', retailPrice: 0.1, productName: 'Virtual Machines Ddsv5 Series' }),
    ]);

    const before = fs.readFileSync(file, 'utf8');
    const empty: FetchLike = async () => ({ ok: true, status: 200, json: async () => ({ Items: [], NextPageLink: null }) });
    await expect(run(['--refresh', '--file', file], empty)).rejects.toThrow(/the API returned no prices; .* is left as it was/);
    const failing: FetchLike = async () => ({ ok: false, status: 403, json: async () => ({}) });
    await expect(run(['--refresh', '--file', file], failing)).rejects.toThrow(/answered HTTP 403/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    fs.rmSync(dir, { recursive: true });
  });
});
