import { EVALUATION_LEVELS } from '../../lib/labels';

const SCORES = [5, 4, 3, 2, 1] as const;

/**
 * The five levels as one native radio group: Tab enters it, the arrow keys move between levels, Space picks
 * one, and a screen reader says "满意程度, 2 不满意, 5 之 4".
 */
export function ScoreRadios(p: { value: number | null; error?: string; onChange: (score: number) => void }) {
  return (
    <fieldset class={`levels${p.error ? ' invalid' : ''}`} data-field="score" aria-describedby={p.error ? 'f-score-error' : undefined}>
      <legend>满意程度<span class="req" aria-hidden="true">*</span></legend>
      {SCORES.map((s) => (
        <label key={s} class={s <= 2 ? 'bad' : undefined}>
          <input type="radio" name="score" value={s} id={s === 5 ? 'f-score' : undefined} checked={p.value === s}
            aria-invalid={p.error ? true : undefined} onChange={() => p.onChange(s)} />
          {s} {EVALUATION_LEVELS[s]}
        </label>
      ))}
      {p.error ? <small class="error" id="f-score-error" role="alert">{p.error}</small> : null}
    </fieldset>
  );
}
