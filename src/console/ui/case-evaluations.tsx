// Placeholder: the 好差评 panel of a case page (written with the evaluations screens).
export function CaseEvaluations(_p: { caseRef: string; state: string }) {
  return null;
}
