// The map's only data source: graphmap's GraphQL API, same origin.

/** A GraphQL document with the types of its variables and result. */
export interface Doc<TData, TVars> {
  readonly query: string;
  readonly _types?: [TData, TVars];
}

export function doc<TData, TVars = Record<string, never>>(query: string): Doc<TData, TVars> {
  return { query };
}

export class ApiError extends Error {}

/** Bytes of GraphQL responses received so far (the bench reads it). */
export const traffic = { bytes: 0, requests: 0 };

export async function request<TData, TVars>(
  d: Doc<TData, TVars>, variables: TVars, signal?: AbortSignal,
): Promise<TData> {
  const init: RequestInit = {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: d.query, variables }),
  };
  if (signal) init.signal = signal;
  return answer<TData>(await fetch("/graphql", init));
}

/** A multipart request (file uploads): `form` holds the operations, the map
 * and the files (see importing.ts); the browser sets the content type. */
export async function upload<TData, TVars>(_d: Doc<TData, TVars>, form: FormData): Promise<TData> {
  return answer<TData>(await fetch("/graphql", { method: "POST", headers: { accept: "application/json" }, body: form }));
}

async function answer<TData>(res: Response): Promise<TData> {
  const text = await res.text();
  traffic.bytes += text.length;
  traffic.requests += 1;
  let body: { data?: TData; errors?: { message: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(`HTTP ${res.status}`);
  }
  if (body.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join("; "));
  if (!body.data) throw new ApiError(`HTTP ${res.status}`);
  return body.data;
}
