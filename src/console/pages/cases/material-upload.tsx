import { useState } from 'preact/hooks';
import { api, ApiError } from '../../lib/api';
import { fieldMessage, nameFields, problemMessage } from '../../lib/errors';
import { Field } from '../../ui/form';
import { ACCEPT, materialFileProblem, readMaterial } from './material-file';

nameFields({ requirement: '材料类别', name: '材料名称', mediaType: '文件类型', content: '文件内容' });

/**
 * One material's file field: the type and the 10 MiB are checked here, before anything is sent; the
 * file is read as base64 and posted; the gateway's answer (or refusal) is said at this field.
 */
export function MaterialUpload(p: { caseRef: string; requirement: string; name: string; onUploaded: () => void }) {
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `material-${p.requirement}`;
  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setDone(null);
    const accepted = materialFileProblem(file);
    if ('problem' in accepted) {
      setError(accepted.problem);
      input.value = '';
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const m = await readMaterial(file, accepted.mediaType);
      await api(`/api/v1/cases/${encodeURIComponent(p.caseRef)}/materials`, {
        method: 'POST', body: { requirement: p.requirement, name: p.name, mediaType: m.mediaType, content: m.content },
      });
      setDone(`已上传（${(m.size / 1024).toFixed(0)} KiB）`);
      p.onUploaded();
    } catch (err) {
      if (!(err instanceof ApiError)) setError('读取文件失败，请重新选择');
      else setError(err.fieldErrors[0] ? fieldMessage(err.fieldErrors[0]) : problemMessage(err));
    } finally {
      setBusy(false);
      input.value = '';
    }
  };
  return (
    <Field label={`上传${p.name}`} name={id} error={error} hint={busy ? '正在上传…' : done ?? 'PDF、JPEG、PNG、TIFF 或 OFD，不超过 10 MiB'}>
      <input id={`f-${id}`} name={id} type="file" accept={ACCEPT} disabled={busy} onChange={onFile}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `f-${id}-error` : `f-${id}-hint`} />
    </Field>
  );
}
