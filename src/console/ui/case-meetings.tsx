// Placeholder: the 云见面 panel of a case page (written with the meeting screens).
export function CaseMeetings(_p: { caseRef: string }) {
  return null;
}
