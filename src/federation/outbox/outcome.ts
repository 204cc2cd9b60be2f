import { FederationClientError, type SignedAnswer } from '../client';

/** What one attempt came to, by §4 and §5. `answered`: the member itself replied (the circuit learns from it). */
export type Outcome =
  | { kind: 'delivered'; answer: SignedAnswer }
  | { kind: 'retry' | 'dead'; status: number | null; error: string; answered: boolean };

const MAX_ERROR = 500;

/** A 2xx from the client is verified (it throws otherwise); other answers are retried or final by §5. */
export function outcomeOfAnswer(answer: SignedAnswer): Outcome {
  if (answer.status >= 200 && answer.status < 300) return { kind: 'delivered', answer };
  return { kind: answer.retryable ? 'retry' : 'dead', status: answer.status, error: describeAnswer(answer), answered: answer.verified };
}

/** No verified answer: timeouts, network failures and unsigned 2xx are retried; the rest is final. */
export function outcomeOfError(e: unknown): Outcome {
  if (e instanceof FederationClientError) {
    return { kind: e.retryable ? 'retry' : 'dead', status: e.status ?? null, error: clip(`${e.kind}: ${e.message}`), answered: false };
  }
  // Not a delivery answer (a bug, a registry not loaded yet): never a reason to drop the message.
  return { kind: 'retry', status: null, error: clip(`internal: ${e instanceof Error ? e.message : String(e)}`), answered: false };
}

/** `not_authorized: route ping is not open to alpha`, from the problem+json of §6 when there is one. */
function describeAnswer(answer: SignedAnswer): string {
  let text = `http ${answer.status}`;
  try {
    const p = answer.json<{ code?: unknown; detail?: unknown; title?: unknown }>();
    if (typeof p.code === 'string') text = `${p.code}: ${typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : `http ${answer.status}`}`;
  } catch {
    // not JSON: the status says it all
  }
  return clip(answer.verified ? text : `${text} (unsigned answer)`);
}

function clip(s: string): string {
  return s.length > MAX_ERROR ? `${s.slice(0, MAX_ERROR - 1)}…` : s;
}
