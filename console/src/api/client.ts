import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { ApiError, toApiError } from './errors';

export type Schemas = components['schemas'];
export type Service = 'events' | 'training';
export const SERVICES: readonly Service[] = ['events', 'training'];

export type Api = ReturnType<typeof createApi>;

/**
 * createApi is the typed client of infra/api/openapi.yaml: a route or field changed there
 * changes these types, and the console's type check fails where it used the old one.
 */
export function createApi(baseUrl: string, token: () => string, onUnauthenticated: () => void) {
  const client = createClient<paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${token()}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthenticated();
      return response;
    },
  });
  return client;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** ok returns an answer's body, or throws its ApiError. */
export async function ok<T>(pending: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (e) {
    // fetch itself failed: the API is unreachable, or CORS refused the console's origin.
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!answer.response.ok) throw toApiError(answer.response.status, answer.error);
  return answer.data as T;
}
