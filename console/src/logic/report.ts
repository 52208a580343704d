// The report's filters as query parameters, and the CSV download assembled from its parts.

export interface ReportFilters {
  createdFrom: string;
  createdTo: string;
  expiresFrom: string;
  expiresTo: string;
  code: string;
  recipient: string;
  status: '' | 'active' | 'expired' | 'used_up' | 'deleted';
  service: '' | 'events' | 'training';
}

export const NO_FILTERS: ReportFilters = {
  createdFrom: '',
  createdTo: '',
  expiresFrom: '',
  expiresTo: '',
  code: '',
  recipient: '',
  status: '',
  service: '',
};

// A set filter, as the API's query parameter (an unset one is left out).
export type ReportQuery = { [K in keyof ReportFilters]?: Exclude<ReportFilters[K], ''> };

/** reportQuery keeps the filters that are set: the API refuses an empty parameter's value. */
export function reportQuery(f: ReportFilters): ReportQuery {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    const value = v.trim();
    if (value) q[k] = value;
  }
  return q as ReportQuery;
}

const BOM = '\uFEFF';

/**
 * joinCsvParts glues the CSV answers of one report (each a BOM, a header line and rows, the
 * rest behind X-Next-Cursor) into one file: one BOM and one header.
 */
export function joinCsvParts(parts: readonly string[]): string {
  return parts
    .map((part, i) => {
      const text = part.startsWith(BOM) ? part.slice(BOM.length) : part;
      if (i === 0) return text;
      const eol = text.indexOf('\r\n');
      return eol < 0 ? '' : text.slice(eol + 2);
    })
    .reduce((all, part, i) => (i === 0 ? BOM + part : all + part), '');
}

/**
 * Pages walks the report's pages forward by the API's cursors and back by the ones it
 * has seen: the API pages forward only.
 */
export class Pages {
  private readonly cursors: (string | undefined)[] = [undefined];

  constructor(private index = 0) {}

  get current(): string | undefined {
    return this.cursors[this.index];
  }
  get number(): number {
    return this.index + 1;
  }
  get hasPrevious(): boolean {
    return this.index > 0;
  }
  next(cursor: string): Pages {
    const p = this.copy();
    p.cursors.length = this.index + 1;
    p.cursors.push(cursor);
    p.index = this.index + 1;
    return p;
  }
  previous(): Pages {
    const p = this.copy();
    p.index = Math.max(0, this.index - 1);
    return p;
  }
  private copy(): Pages {
    const p = new Pages(this.index);
    p.cursors.length = 0;
    p.cursors.push(...this.cursors);
    return p;
  }
}
