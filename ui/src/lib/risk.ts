// Where a risk assessment's subject lives in the app: the page that shows
// its assessment, and the form for the next version.
import type { RiskSubject } from "./bindings/RiskSubject";

export function riskPageHref(subject: RiskSubject): string {
  switch (subject.kind) {
    case "client": return `clients/${subject.id}`;
    case "carer": return `carers/${subject.id}`;
    case "activity": return `risk/activities/${subject.id}`;
  }
}

export function riskFormHref(subject: RiskSubject): string {
  return subject.kind === "activity" ? `risk/activities/${subject.id}/assess` : `${riskPageHref(subject)}/risk`;
}
