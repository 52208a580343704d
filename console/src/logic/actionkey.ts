/**
 * ActionKey is the Idempotency-Key of one user action (a creation, an import): the same
 * request sent again, as a retry after a failure or a lost answer, reuses the key, so the
 * API creates once; another request, or one after the action succeeded, gets a fresh one.
 */
export class ActionKey {
  private last: { request: string; key: string } | null = null;

  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  /** for returns the key of request (its body as sent, or anything that tells requests apart). */
  for(request: string): string {
    if (this.last?.request !== request) this.last = { request, key: this.newKey() };
    return this.last.key;
  }

  /** done ends the action: the next request is a new one, even if it is the same. */
  done(): void {
    this.last = null;
  }
}
