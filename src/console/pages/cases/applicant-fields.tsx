import { ID_TYPES, label } from '../../lib/labels';
import { Field, inputProps } from '../../ui/form';
import { APPLICANT_KINDS, ID_TYPES_BY_KIND } from './case-labels';
import type { NewCaseValues } from './new-case-values';

type Set = <K extends keyof NewCaseValues>(k: K, v: NewCaseValues[K]) => void;
const value = (e: Event) => (e.target as HTMLInputElement).value;

/** 申请人: a person with a resident ID (or another document), or an organization with its USCC. */
export function ApplicantFields(p: { v: NewCaseValues; set: Set; errors: Record<string, string> }) {
  const { v, set, errors } = p;
  const person = v.kind === 'person';
  return (
    <fieldset class="grid">
      <legend>申请人</legend>
      <Field label="申请人类型" name="applicant.kind" error={errors['applicant.kind']} required>
        <select {...inputProps('applicant.kind', errors)} value={v.kind} onChange={(e) => {
          const kind = value(e) as NewCaseValues['kind'];
          set('kind', kind);
          set('idType', ID_TYPES_BY_KIND[kind]![0]!);
        }}>
          {Object.keys(APPLICANT_KINDS).map((k) => <option key={k} value={k}>{label(APPLICANT_KINDS, k)}</option>)}
        </select>
      </Field>
      <Field label={person ? '申请人姓名' : '单位名称'} name="applicant.name" error={errors['applicant.name']} required>
        <input {...inputProps('applicant.name', errors)} maxLength={100} autoComplete="off" value={v.name} onInput={(e) => set('name', value(e))} />
      </Field>
      <Field label="证件类型" name="applicant.idType" error={errors['applicant.idType']} required>
        <select {...inputProps('applicant.idType', errors)} value={v.idType} onChange={(e) => set('idType', value(e))}>
          {(ID_TYPES_BY_KIND[v.kind] ?? []).map((t) => <option key={t} value={t}>{label(ID_TYPES, t)}</option>)}
        </select>
      </Field>
      <Field label="证件号码" name="applicant.idNumber" error={errors['applicant.idNumber']} required
        hint={v.idType === 'resident_id' ? '18 位，末位可为 X；将校验出生日期与校验位' : v.idType === 'uscc' ? '18 位统一社会信用代码' : undefined}>
        <input {...inputProps('applicant.idNumber', errors)} autoComplete="off" spellcheck={false} maxLength={64} value={v.idNumber}
          onInput={(e) => set('idNumber', value(e))} />
      </Field>
      <Field label="联系电话" name="applicant.phone" error={errors['applicant.phone']} hint="选填；加密保存，页面不再显示">
        <input {...inputProps('applicant.phone', errors)} type="tel" autoComplete="off" maxLength={20} value={v.phone} onInput={(e) => set('phone', value(e))} />
      </Field>
    </fieldset>
  );
}
