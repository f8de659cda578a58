/** Zoom writes times as ISO 8601 in UTC without milliseconds: "2018-10-31T04:32:37Z". */
export function zoomTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/** An epoch-ms time as ISO 8601 with milliseconds (the control API's times); null when there is none. */
export const isoOrNull = (ms: number | null | undefined): string | null =>
  typeof ms === 'number' ? new Date(ms).toISOString() : null;
