import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSnapshot, parseSnapshot, PriceSnapshotError, snapshotText, writeSnapshot } from '../../cost/prices';
import { row } from './fixtures';

const FILE = path.resolve(__dirname, '../../cost/price-snapshot.json');

describe('the price snapshot', () => {
  it('the committed snapshot validates, is sorted as the refresh writes it, and names a source for every row', () => {
    const snapshot = loadSnapshot(FILE);
    expect(snapshot.currencyCode).toBe('USD');
    expect(fs.readFileSync(FILE, 'utf8')).toBe(snapshotText(snapshot));
    for (const e of snapshot.entries) {
      expect([e.meterName, e.source]).toEqual([e.meterName, expect.stringMatching(/^.{20,}$/s)]);
      expect([e.meterName, e.filter]).toEqual([e.meterName, expect.stringContaining("priceType eq 'Consumption'")]);
    }
    expect(snapshot.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a file that is not a snapshot, naming every problem', () => {
    const bad = {
      currencyCode: 'usd',
      coverage: 'refreshed',
      entries: [{ ...row({ serviceName: 'Key Vault', meterName: 'Operations', unitOfMeasure: '10K', retailPrice: -1 }), extra: 1 }],
    };
    expect(() => parseSnapshot(bad, 'x.json')).toThrow(PriceSnapshotError);
    expect(() => parseSnapshot(bad, 'x.json')).toThrow(
      /x\.json is not a valid price snapshot:\n {2}currencyCode: .*\n {2}entries\.0\.retailPrice: .*\n {2}entries\.0: .*extra/s,
    );
  });

  it('refuses rows out of order or twice, so a refresh diff stays readable', () => {
    const a = row({ serviceName: 'Key Vault', meterName: 'Operations', unitOfMeasure: '10K', retailPrice: 0.03 });
    const b = row({ serviceName: 'Azure DNS', meterName: 'Private Zone', unitOfMeasure: '1/Month', retailPrice: 0.5 });
    expect(() => parseSnapshot({ currencyCode: 'USD', coverage: 'refreshed', entries: [a, b] })).toThrow(/entries\.1: out of order/);
    expect(() => parseSnapshot({ currencyCode: 'USD', coverage: 'refreshed', entries: [a, a] })).toThrow(/entries\.1: the same row as entries\.0/);
  });

  it('is written atomically: a new file replaces the old one whole, and nothing is left beside it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prices-'));
    const file = path.join(dir, 'prices.json');
    fs.writeFileSync(file, 'old');
    const entries = [row({ serviceName: 'Key Vault', meterName: 'Operations', unitOfMeasure: '10K', retailPrice: 0.03, fetchedAt: '2026-12-01' })];
    writeSnapshot({ currencyCode: 'USD', coverage: 'refreshed', entries }, file);
    expect(loadSnapshot(file)).toMatchObject({ pricesAsOf: '2026-12-01', entries });
    expect(fs.readdirSync(dir)).toEqual(['prices.json']);
    fs.rmSync(dir, { recursive: true });
  });
});
