// Must NOT compile: lines marked below misuse the generated types (the suite expects tsc to fail on
// every line marked "mistake:", which proves the types are precise and not `any`).
import type { components } from "../schema";

type Schemas = components["schemas"];

export function wrong(summary: Schemas["PageSummary"], row: Schemas["ComparisonRow"], page: Schemas["Page"]): void {
  if (summary.type === "pages.NoSuchPage") return; // mistake: not a page type
  if (row.type === "range") {
    const code: string = row.values[0]; // mistake: a range cell is {min, max, unit} | null, not a code
    console.log(code);
  }
  console.log(page.content.session_minutes); // mistake: only a procedure page has session_minutes
  const revision: string = page.meta.revision; // mistake: a number
  console.log(revision, page.labels.practitioner); // mistake: not every page type has practitioner labels
}
