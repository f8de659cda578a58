/** Zoom writes times as ISO 8601 in UTC without milliseconds: "2018-10-31T04:32:37Z". */
export function zoomTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
