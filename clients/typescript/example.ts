// Lists the French pages, then reads a procedure's facts, its device comparison and its
// safety checklist with the generated types: no casts, no `any`. Call main() with the
// server's address, e.g. the one `make demo` prints.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];
type Page = Schemas["Page"];
type Row = Schemas["ComparisonMatrix"]["rows"][number];
type Listing = paths["/api/v1/pages/"]["get"]["responses"][200]["content"]["application/json"];
type Detail = paths["/api/v1/pages/{key}/"]["get"]["responses"][200]["content"]["application/json"];

/** The JSON of a successful GET, typed by the endpoint it came from. */
async function read<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** One cell of a comparison row as words: `row.type` narrows `row.values`. */
export function cell(row: Row, column: number, labels: Schemas["ComparisonLabels"]): string {
  const words = labels.choices[row.attribute] ?? {};
  switch (row.type) {
    case "range": {
      const range = row.values[column];
      return range ? `${range.min}–${range.max} ${range.unit}` : "";
    }
    case "choice": {
      const code = row.values[column];
      return code === undefined ? "" : (words[code] ?? code);
    }
    case "choices":
      return (row.values[column] ?? []).map((code) => words[code] ?? code).join(", ");
    case "text":
      return row.values[column] ?? "";
  }
}

/** What a website shows of a page: `page.type` narrows `page.content`. */
export function describe(page: Page): string[] {
  switch (page.type) {
    case "pages.ProcedurePage": {
      const { session_minutes, performed_by } = page.content;
      const who = performed_by.map((code) => page.labels.practitioner[code]).join(", ");
      const minutes = session_minutes ? `${session_minutes.min}–${session_minutes.max} ${page.labels.unit.min}` : "";
      return [page.title, minutes, who];
    }
    case "pages.DeviceComparisonPage": {
      const { devices, rows, labels } = page.content.comparison;
      return rows.map((row) => [labels.attributes[row.attribute], ...devices.map((_d, i) => cell(row, i, labels))].join(" | "));
    }
    case "pages.SafetyChecklistPage":
      return page.content.items.map(
        ({ value }) => `${page.labels.checklist_phase[value.phase]} · ${page.labels.importance[value.importance]}: ${value.text}`,
      );
    case "pages.BenefitsPage":
      return page.content.concerns.map(({ value }) => `${page.labels.concern[value.concern]} (${page.labels.evidence[value.evidence]})`);
    default:
      return [page.title];
  }
}

export async function main(baseUrl: string): Promise<string[]> {
  const listing = await read<Listing>(`${baseUrl}/api/v1/pages/?locale=fr&limit=100`);
  const lines: string[] = [];
  for (const summary of listing.results) {
    // PageSummary.type is the page type enum: a typo here would not compile.
    if (summary.type === "pages.HomePage" || summary.type === "pages.ProcedureIndexPage") continue;
    const data = await read<Detail>(`${baseUrl}/api/v1/pages/${summary.key}/?locale=fr`);
    if ("versions" in data) continue; // only locale=* answers PageVersions
    lines.push(...describe(data), `(revision ${data.meta.revision})`);
  }
  return lines;
}
