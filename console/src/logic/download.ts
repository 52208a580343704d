// Files the console builds from the API's answers (the CSV exports), saved by the browser.

/** csvFileName names an export after what it holds, the site and the day. */
export function csvFileName(what: string, site: string, now: Date): string {
  return `${what}-${site}-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * saveFile has the browser save text as a file. The export is fetched with the token (a
 * plain link could not send it), so it is handed over as a blob.
 */
export function saveFile(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
