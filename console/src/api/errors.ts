// The API's error body: {"error":{"code","message","details":[{"field"|"line","reason"}]}}.

export interface ErrorDetail {
  field?: string;
  line?: number;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** toApiError turns any answer that is not a success into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (err && typeof err.code === 'string') {
    const details = Array.isArray(err.details)
      ? err.details.filter((d): d is ErrorDetail => typeof d === 'object' && d !== null && typeof d.reason === 'string')
      : [];
    return new ApiError(status, err.code, typeof err.message === 'string' ? err.message : err.code, details);
  }
  // API Gateway's own answers ({"message":"Unauthorized"}) carry no code.
  const message = (body as { message?: unknown } | null)?.message;
  const code = status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : `http_${status}`;
  return new ApiError(status, code, typeof message === 'string' ? message : `HTTP ${status}`);
}

/**
 * fieldKey reduces a detail's field path to the form field that shows it: an array item
 * ("cards[1]") belongs to its list, a nested path ("paymentPage.header") stays whole.
 */
export function fieldKey(field: string): string {
  return field.replace(/\[\d+\]$/, '');
}

export type FieldErrors = Map<string, string[]>;

/** byField groups an error's details by form field. */
export function byField(err: ApiError | null | undefined): FieldErrors {
  const out: FieldErrors = new Map();
  for (const d of err?.details ?? []) {
    if (d.field === undefined) continue;
    const key = fieldKey(d.field);
    out.set(key, [...(out.get(key) ?? []), d.reason]);
  }
  return out;
}

/**
 * unshown lists the details that no field on the page shows, so that a summary can show
 * them: nothing the API said is ever dropped.
 */
export function unshown(err: ApiError | null | undefined, shownFields: Iterable<string>): ErrorDetail[] {
  const shown = new Set(shownFields);
  return (err?.details ?? []).filter((d) => d.field === undefined || !shown.has(fieldKey(d.field)));
}
