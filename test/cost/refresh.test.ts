import { VM_SIZES } from '../../config/vm-sizes';
import { refreshQueries } from '../../cost/meters';
import { parseSnapshot, snapshotText } from '../../cost/prices';
import {
  fetchAllPages,
  queryUrl,
  refreshSnapshot,
  RefreshError,
  type FetchLike,
  type RetailPriceItem,
  type RetailPricesPage,
} from '../../cost/refresh';

/*
 * The refresh, offline: a fake fetch answers with pages in the Retail Prices API's shape (BillingCurrency,
 * Items, NextPageLink, Count), as the API returns them for a size's query: Linux, Windows, Spot, Low Priority
 * and DevTest rows side by side, regions the config knows and others, split over two pages.
 */
const FILTER = "serviceName eq 'Virtual Machines' and armSkuName eq 'Standard_D4ds_v5' and priceType eq 'Consumption'";

function item(fields: Partial<RetailPriceItem>): RetailPriceItem {
  return {
    currencyCode: 'USD',
    tierMinimumUnits: 0,
    retailPrice: 0.2,
    armRegionName: 'westeurope',
    effectiveStartDate: '2026-05-01T00:00:00Z',
    meterId: '11111111-2222-5333-8444-555555555555',
    meterName: 'D4ds v5',
    productName: 'Virtual Machines Ddsv5 Series',
    skuName: 'D4ds v5',
    serviceName: 'Virtual Machines',
    unitOfMeasure: '1 Hour',
    type: 'Consumption',
    armSkuName: 'Standard_D4ds_v5',
    ...fields,
  };
}

const NEXT = 'https://prices.azure.com:443/api/retail/prices?currencyCode=%27USD%27&$filter=x&$skip=100';
const PAGES: Record<string, RetailPricesPage> = {
  [queryUrl(FILTER, 'USD')]: {
    BillingCurrency: 'USD',
    Items: [
      item({}),
      item({ productName: 'Virtual Machines Ddsv5 Series Windows', retailPrice: 0.4, meterId: 'w' }),
      item({ meterName: 'D4ds v5 Spot', skuName: 'D4ds v5 Spot', retailPrice: 0.04, meterId: 's' }),
      item({ meterName: 'D4ds v5 Low Priority', skuName: 'D4ds v5 Low Priority', retailPrice: 0.05, meterId: 'l' }),
      item({ type: 'DevTestConsumption', retailPrice: 0.19 }),
    ],
    NextPageLink: NEXT,
    Count: 5,
  },
  [NEXT]: {
    BillingCurrency: 'USD',
    Items: [
      item({ armRegionName: 'northeurope', retailPrice: 0.19, meterId: '22222222-2222-5333-8444-555555555555' }),
      item({ armRegionName: 'usgovvirginia', retailPrice: 0.25, meterId: 'g' }),
      item({ type: 'Reservation', reservationTerm: '1 Year', retailPrice: 1000 }),
    ],
    NextPageLink: null,
    Count: 3,
  },
};

/** A fetch that answers from `pages` and records every URL asked; `failures` answers that status first, as often as given. */
function fakeFetch(pages: Record<string, RetailPricesPage>, failures: number[] = []): FetchLike & { urls: string[] } {
  const urls: string[] = [];
  const fn = async (url: string) => {
    urls.push(url);
    const status = failures.shift();
    if (status !== undefined) return { ok: false, status, json: async () => ({}) };
    const page = pages[url];
    return page ? { ok: true, status: 200, json: async () => structuredClone(page) } : { ok: false, status: 404, json: async () => ({}) };
  };
  return Object.assign(fn, { urls });
}

const noSleep = async () => undefined;
const sizeQuery = refreshQueries().find((q) => q.filter === FILTER)!;

describe('the refresh of the price snapshot', () => {
  it('asks each VM size in one query across regions, and the other meters by service, pay-as-you-go only', () => {
    const filters = refreshQueries().map((q) => q.filter);
    expect(filters.filter((f) => f.startsWith("serviceName eq 'Virtual Machines'"))).toHaveLength(VM_SIZES.size);
    expect(filters).toContain(FILTER);
    expect(filters).toContain("serviceName eq 'Container Registry' and priceType eq 'Consumption'");
    expect(filters.every((f) => f.endsWith(" and priceType eq 'Consumption'"))).toBe(true);
    expect(new Set(filters).size).toBe(filters.length);
  });

  it('pages through NextPageLink, with the currency and the encoded filter in the first URL', async () => {
    const fetch = fakeFetch(PAGES);
    const items = await fetchAllPages(FILTER, { fetch, currency: 'USD', sleep: noSleep });
    expect(fetch.urls).toEqual([
      "https://prices.azure.com/api/retail/prices?currencyCode='USD'&$filter=serviceName%20eq%20'Virtual%20Machines'%20and%20armSkuName%20eq%20'Standard_D4ds_v5'%20and%20priceType%20eq%20'Consumption'",
      NEXT,
    ]);
    expect(items).toHaveLength(8);
  });

  it('keeps Linux pay-as-you-go rows of known regions: no Windows, Spot, Low Priority, DevTest, reservation or other-cloud rows', async () => {
    const fetch = fakeFetch(PAGES);
    const snapshot = await refreshSnapshot({ fetch, queries: [sizeQuery], now: new Date('2026-12-01T06:00:00.123Z'), sleep: noSleep });
    expect(snapshot.coverage).toBe('refreshed');
    expect(snapshot.entries.map((e) => [e.armRegionName, e.retailPrice])).toEqual([
      ['northeurope', 0.19],
      ['westeurope', 0.2],
    ]);
    expect(snapshot.entries[1]).toEqual({
      meterId: '11111111-2222-5333-8444-555555555555',
      serviceName: 'Virtual Machines',
      productName: 'Virtual Machines Ddsv5 Series',
      skuName: 'D4ds v5',
      meterName: 'D4ds v5',
      armRegionName: 'westeurope',
      armSkuName: 'Standard_D4ds_v5',
      unitOfMeasure: '1 Hour',
      tierMinimumUnits: 0,
      retailPrice: 0.2,
      effectiveStartDate: '2026-05-01T00:00:00Z',
      fetchedAt: '2026-12-01T06:00:00Z',
      filter: FILTER,
      source: queryUrl(FILTER, 'USD'),
    });
    // What it writes validates, and is the same text however often and in whatever order the rows came.
    const text = snapshotText(snapshot);
    expect(parseSnapshot(JSON.parse(text)).pricesAsOf).toBe('2026-12-01');
    expect(snapshotText({ ...snapshot, entries: [...snapshot.entries].reverse() })).toBe(text);
  });

  it('asks in another currency and keeps only rows in it', async () => {
    const eur = Object.fromEntries(
      Object.entries(PAGES).map(([url, page]) => [
        url.replace("'USD'", "'EUR'"),
        { ...page, Items: page.Items.map((i) => ({ ...i, currencyCode: 'EUR' })) },
      ]),
    );
    eur[NEXT] = { ...PAGES[NEXT], Items: PAGES[NEXT].Items.map((i) => ({ ...i, currencyCode: 'EUR' })) };
    const snapshot = await refreshSnapshot({ fetch: fakeFetch(eur), currency: 'EUR', queries: [sizeQuery], sleep: noSleep });
    expect(snapshot.currencyCode).toBe('EUR');
    expect(snapshot.entries).toHaveLength(2);
  });

  it('retries a throttled page, and fails on an error that persists (the file is then not written)', async () => {
    const slept: number[] = [];
    const retried = fakeFetch(PAGES, [429, 503]);
    await fetchAllPages(FILTER, { fetch: retried, sleep: async (ms) => void slept.push(ms) });
    expect(slept).toEqual([1000, 2000]);
    const failing = fakeFetch(PAGES, [500, 500, 500, 500]);
    await expect(fetchAllPages(FILTER, { fetch: failing, sleep: noSleep })).rejects.toThrow(
      new RefreshError(`"${FILTER}": page 1 answered HTTP 500`),
    );
  });

  it('tries again when there is no answer at all, and then names the cause', async () => {
    let calls = 0;
    const offline: FetchLike = async () => {
      calls++;
      throw Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND prices.azure.com') });
    };
    await expect(fetchAllPages(FILTER, { fetch: offline, attempts: 3, sleep: noSleep })).rejects.toThrow(
      new RefreshError(`"${FILTER}": page 1 got no answer from prices.azure.com: getaddrinfo ENOTFOUND prices.azure.com`),
    );
    expect(calls).toBe(3);
  });

  it('follows no link away from the API, and stops a NextPageLink that never ends', async () => {
    const away = { [queryUrl(FILTER, 'USD')]: { Items: [], NextPageLink: 'https://example.com/steal' } };
    await expect(fetchAllPages(FILTER, { fetch: fakeFetch(away), sleep: noSleep })).rejects.toThrow(/links to https:\/\/example.com\/steal/);
    const loop = { [queryUrl(FILTER, 'USD')]: { Items: [], NextPageLink: queryUrl(FILTER, 'USD') } };
    await expect(fetchAllPages(FILTER, { fetch: fakeFetch(loop), maxPagesPerQuery: 3, sleep: noSleep })).rejects.toThrow(/more than 3 pages/);
  });

  it('refuses an answer that is not a page of the API', async () => {
    await expect(fetchAllPages(FILTER, { fetch: fakeFetch({ [queryUrl(FILTER, 'USD')]: { error: 'x' } as never }), sleep: noSleep })).rejects.toThrow(
      /not a Retail Prices API page/,
    );
  });

  it("keeps the rows the estimate prices egress and Prometheus by: the default routing's egress and Azure Monitor's metrics ingestion", () => {
    const keeper = (service: string) => {
      const keep = refreshQueries().find((q) => q.filter.startsWith(`serviceName eq '${service}'`))!.keep;
      return (row: RetailPriceItem) => keep({ ...row, fetchedAt: '2026-01-01', filter: '', source: '' });
    };
    // Both products bill on meter 'Standard Data Transfer Out'; the Microsoft network routing is the default.
    const egress = keeper('Bandwidth');
    expect(egress(item({ serviceName: 'Bandwidth', productName: 'Rtn Preference: MGN', meterName: 'Standard Data Transfer Out' }))).toBe(true);
    expect(
      egress(item({ serviceName: 'Bandwidth', productName: 'Bandwidth - Routing Preference: Internet', meterName: 'Standard Data Transfer Out' })),
    ).toBe(false);
    // Managed Prometheus samples bill on the one metrics ingestion meter (learn.microsoft.com/azure/azure-monitor/cost-meters).
    const monitor = keeper('Azure Monitor');
    expect(monitor(item({ serviceName: 'Azure Monitor', skuName: 'Metrics ingestion', meterName: 'Metrics ingestion Metric samples' }))).toBe(true);
    expect(
      monitor(item({ serviceName: 'Azure Monitor', skuName: 'Prometheus Metrics Queries', meterName: 'Prometheus Metrics Queries Metric samples' })),
    ).toBe(false);
  });
});
