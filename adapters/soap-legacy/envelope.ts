import type { CaseMaterial } from '../types';
import { escapeXml, toBase64, type SubmitField } from './mapping';
import type { SoapOptions } from './schema';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

export interface Credentials { username: string; password: string }

/** `<cs:name>value</cs:name>`, the value escaped; names come from validated options or fieldMaps. */
export const el = (name: string, value: string | number): string => `<cs:${name}>${escapeXml(String(value))}</cs:${name}>`;

/** The quoted SOAP 1.1 SOAPAction header value for an operation. */
export const soapAction = (options: SoapOptions, operation: string): string =>
  `"${options.soapActionPrefix ?? `${options.soapNamespace}/`}${operation}"`;

function securityHeader(options: SoapOptions, c: Credentials): string {
  if (options.security === 'header') return `<cs:AuthHeader>${el('userName', c.username)}${el('password', c.password)}</cs:AuthHeader>`;
  return `<wsse:Security xmlns:wsse="${WSSE}" soap:mustUnderstand="1"><wsse:UsernameToken>`
    + `<wsse:Username>${escapeXml(c.username)}</wsse:Username>`
    + `<wsse:Password Type="${PASSWORD_TEXT}">${escapeXml(c.password)}</wsse:Password>`
    + '</wsse:UsernameToken></wsse:Security>';
}

/** A SOAP 1.1 envelope around `<cs:operation>inner</cs:operation>`; `inner` is XML built with `el`. */
export function envelope(options: SoapOptions, credentials: Credentials, operation: string, inner: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + `<soap:Envelope xmlns:soap="${SOAP_ENV}" xmlns:cs="${escapeXml(options.soapNamespace)}">`
    + `<soap:Header>${securityHeader(options, credentials)}</soap:Header>`
    + `<soap:Body><cs:${operation}>${inner}</cs:${operation}></soap:Body></soap:Envelope>`;
}

/** `<cs:materials>`: one `<cs:material>` per file, its content in base64 (SubmitCase and SupplementCase alike). */
function materialsXml(materials: readonly CaseMaterial[]): string {
  const files = materials.map((m) => '<cs:material>'
    + el('code', m.requirement) + el('name', m.name) + el('mimeType', m.mediaType) + el('size', m.size)
    + el('sha256', m.sha256) + `<cs:content>${toBase64(m.content)}</cs:content></cs:material>`).join('');
  return `<cs:materials>${files}</cs:materials>`;
}

export function submitCaseInner(serviceCode: string, caseRef: string, fields: SubmitField[], materials: CaseMaterial[]): string {
  const data = fields.map((f) => el(f.name, f.value)).join('');
  return el('serviceCode', serviceCode) + el('externalRef', caseRef) + `<cs:applyData>${data}</cs:applyData>` + materialsXml(materials);
}

export function supplementCaseInner(caseNo: string, materials: readonly CaseMaterial[], note?: string): string {
  return el('caseNo', caseNo) + materialsXml(materials) + (note ? el('note', note) : '');
}
