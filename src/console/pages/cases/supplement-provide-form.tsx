import { useState } from 'preact/hooks';
import { Banner, Field, useForm } from '../../ui/form';
import { focusInvalid, postEvent } from './event-form';
import { ACCEPT, materialFileProblem, readMaterial, type ReadMaterial } from './material-file';
import type { SupplementItem } from './types';

/** The body limit of an event is 32 MiB; base64 makes a third more. */
const MAX_TOTAL = 22 * 1024 * 1024;

/**
 * 提交补正 (intake side): the applicant's supplements, one file for each requested material, read here
 * (type and size checked before anything is sent), sent as one supplement_provided event.
 */
export function SupplementProvideForm(p: { caseRef: string; requested: SupplementItem[]; onDone: (said: string) => void; onCancel: () => void }) {
  const [files, setFiles] = useState<Record<number, ReadMaterial & { fileName: string }>>({});
  const form = useForm();
  const field = (i: number) => `data.materials.${i}`;
  const onFile = async (i: number, input: HTMLInputElement) => {
    const file = input.files?.[0];
    const rest = { ...files };
    delete rest[i];
    setFiles(rest);
    if (!file) return;
    const ok = materialFileProblem(file);
    if ('problem' in ok) {
      form.setErrors({ ...form.errors, [field(i)]: ok.problem });
      input.value = '';
      return;
    }
    const read = await readMaterial(file, ok.mediaType);
    setFiles({ ...rest, [i]: { ...read, fileName: file.name } });
    const { [field(i)]: _gone, ...others } = form.errors;
    form.setErrors(others);
  };
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const chosen = Object.entries(files);
    const total = chosen.reduce((n, [, f]) => n + f.size, 0);
    const problem = !chosen.length ? '请至少选择一份补正材料' : total > MAX_TOTAL ? '补正材料合计不超过 22 MiB，请分次提交' : null;
    if (problem) {
      form.setErrors({ [field(0)]: problem });
      focusInvalid();
      return;
    }
    const materials = chosen.map(([i, f]) => {
      const item = p.requested[Number(i)]!;
      return { requirement: item.requirement ?? `supplement-${Number(i) + 1}`, name: item.name, mediaType: f.mediaType, size: f.size, sha256: f.sha256, content: f.content };
    });
    const ok = await form.submit(async () => { await postEvent(p.caseRef, { type: 'supplement_provided', data: { materials } }); });
    if (ok) p.onDone(`已提交 ${materials.length} 份补正材料`);
  };
  return (
    <form class="action-form" noValidate onSubmit={onSubmit} aria-label="提交补正材料">
      <Banner message={form.banner} />
      {p.requested.map((item, i) => (
        <Field key={i} label={`补正：${item.name}`} name={field(i)} error={form.errors[field(i)]}
          hint={files[i] ? `已选择 ${files[i].fileName}（${(files[i].size / 1024).toFixed(0)} KiB）` : item.reason ?? 'PDF、JPEG、PNG、TIFF 或 OFD，不超过 10 MiB'}>
          <input id={`f-${field(i)}`} name={field(i)} type="file" accept={ACCEPT} aria-invalid={form.errors[field(i)] ? true : undefined}
            onChange={(ev) => void onFile(i, ev.target as HTMLInputElement)} />
        </Field>
      ))}
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在提交…' : '确认提交补正'}</button>
        <button type="button" onClick={p.onCancel} disabled={form.busy}>取消</button>
      </div>
    </form>
  );
}
