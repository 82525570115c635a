/*
 * Rebuilds the price snapshot from the Azure Retail Prices API: the queries of cost/meters.ts, each paged
 * through NextPageLink, Consumption rows only, Linux only for virtual machines (no Windows, Spot or Low
 * Priority rows), regions of config/azure-facts.ts only, one currency. `fetch` is injected, so tests run it
 * on recorded pages.
 * @see https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices
 */
import { isKeptRegion, refreshQueries, type PriceQuery } from './meters';
import { sortEntries, type PriceEntry, type PriceSnapshotFile } from './prices';

export const RETAIL_PRICES_URL = 'https://prices.azure.com/api/retail/prices';

/** One row of the API, as far as the snapshot reads it. */
export interface RetailPriceItem {
  readonly currencyCode: string;
  readonly tierMinimumUnits: number;
  readonly retailPrice: number;
  readonly armRegionName: string;
  readonly effectiveStartDate: string;
  readonly meterId: string;
  readonly meterName: string;
  readonly productName: string;
  readonly skuName: string;
  readonly serviceName: string;
  readonly unitOfMeasure: string;
  readonly type: string;
  readonly armSkuName: string;
  readonly reservationTerm?: string;
}

/** One page of the API. */
export interface RetailPricesPage {
  readonly BillingCurrency?: string;
  readonly Items: ReadonlyArray<RetailPriceItem>;
  readonly NextPageLink: string | null;
  readonly Count?: number;
}

/** What the refresh needs of `fetch` (the global one fits). */
export type FetchLike = (url: string) => Promise<{ readonly ok: boolean; readonly status: number; json(): Promise<unknown> }>;

export interface RefreshOptions {
  readonly fetch: FetchLike;
  /** ISO 4217 code; the API's default is USD. */
  readonly currency?: string;
  readonly now?: Date;
  readonly queries?: ReadonlyArray<PriceQuery>;
  /** Queries run at once (the API throttles bursts). */
  readonly concurrency?: number;
  /** A guard against a NextPageLink that never ends. */
  readonly maxPagesPerQuery?: number;
  /** Attempts per page on HTTP 429 and 5xx, with `sleep` between them. */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told after each query: how many are done and how many rows were kept. */
  readonly onProgress?: (done: number, total: number, kept: number) => void;
}

/** The URL of a query's first page. */
export function queryUrl(filter: string, currency: string): string {
  return `${RETAIL_PRICES_URL}?currencyCode=${encodeURIComponent(`'${currency}'`)}&$filter=${encodeURIComponent(filter)}`;
}

/** A failed refresh: the query, the page and what went wrong. The snapshot file is left as it was. */
export class RefreshError extends Error {
  readonly isInputError = true;
  constructor(message: string) {
    super(message);
    this.name = 'RefreshError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isPage(data: unknown): data is RetailPricesPage {
  const page = data as RetailPricesPage | null;
  return (
    typeof page === 'object' && page !== null && Array.isArray(page.Items) && (page.NextPageLink === null || typeof page.NextPageLink === 'string')
  );
}

/** Every row of a query: its first page and each NextPageLink after it (only links back to the API are followed). */
export async function fetchAllPages(filter: string, options: RefreshOptions): Promise<RetailPriceItem[]> {
  const { fetch, currency = 'USD', maxPagesPerQuery = 200, attempts = 4, sleep = defaultSleep } = options;
  const items: RetailPriceItem[] = [];
  let url: string | null = queryUrl(filter, currency);
  for (let page = 1; url !== null; page++) {
    if (page > maxPagesPerQuery) throw new RefreshError(`"${filter}": more than ${maxPagesPerQuery} pages; stopped`);
    if (!url.startsWith(`${RETAIL_PRICES_URL}?`) && !url.startsWith('https://prices.azure.com:443/api/retail/prices?'))
      throw new RefreshError(`"${filter}": page ${page} links to ${url}, not to the Retail Prices API`);
    let data: unknown;
    for (let attempt = 1; ; attempt++) {
      let response: Awaited<ReturnType<FetchLike>>;
      try {
        response = await fetch(url);
      } catch (error) {
        // No answer at all (DNS, connection reset): tried again like a 5xx, then reported with its cause.
        if (attempt < attempts) {
          await sleep(1000 * 2 ** (attempt - 1));
          continue;
        }
        const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
        throw new RefreshError(`"${filter}": page ${page} got no answer from ${new URL(url).host}: ${cause}`);
      }
      if (response.ok) {
        data = await response.json();
        break;
      }
      if ((response.status === 429 || response.status >= 500) && attempt < attempts) {
        await sleep(1000 * 2 ** (attempt - 1));
        continue;
      }
      throw new RefreshError(`"${filter}": page ${page} answered HTTP ${response.status}`);
    }
    if (!isPage(data)) throw new RefreshError(`"${filter}": page ${page} is not a Retail Prices API page (no Items and NextPageLink)`);
    items.push(...data.Items);
    url = data.NextPageLink;
  }
  return items;
}

/** The snapshot's row for an API row. */
export function toEntry(item: RetailPriceItem, filter: string, fetchedAt: string, currency: string): PriceEntry {
  return {
    meterId: item.meterId,
    serviceName: item.serviceName,
    productName: item.productName,
    skuName: item.skuName,
    meterName: item.meterName,
    armRegionName: item.armRegionName,
    armSkuName: item.armSkuName ?? '',
    unitOfMeasure: item.unitOfMeasure,
    tierMinimumUnits: item.tierMinimumUnits,
    retailPrice: item.retailPrice,
    effectiveStartDate: item.effectiveStartDate ?? null,
    fetchedAt,
    filter,
    source: queryUrl(filter, currency),
  };
}

/** Whether an API row belongs in the snapshot at all: pay-as-you-go, of a region the config knows, in the currency asked. */
function isConsumptionRow(item: RetailPriceItem, currency: string): boolean {
  return item.type === 'Consumption' && item.reservationTerm === undefined && item.currencyCode === currency && isKeptRegion(item.armRegionName);
}

/** A new snapshot from the API: every query, every page, the rows the queries keep, sorted. */
export async function refreshSnapshot(options: RefreshOptions): Promise<PriceSnapshotFile> {
  const currency = options.currency ?? 'USD';
  const fetchedAt = (options.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  const queries = options.queries ?? refreshQueries();
  const entries: PriceEntry[] = [];
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (next < queries.length && !failed) {
      const query = queries[next++];
      const items = await fetchAllPages(query.filter, { ...options, currency }).catch((error: unknown) => {
        failed = true; // the other workers take no further query
        throw error;
      });
      const rows = items
        .filter((item) => isConsumptionRow(item, currency))
        .map((item) => toEntry(item, query.filter, fetchedAt, currency))
        .filter((e) => query.keep(e));
      entries.push(...rows);
      options.onProgress?.(++done, queries.length, entries.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queries.length)) }, worker));
  return { currencyCode: currency, coverage: 'refreshed', entries: sortEntries(entries) };
}
