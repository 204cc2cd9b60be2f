/** What a window may scan or upload (the gateway's list), and the 10 MiB a material may weigh. */
export const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;
const MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/ofd'];
/** Browsers know no media type for OFD (the national e-document format): the extension says it. */
const BY_EXTENSION: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', tif: 'image/tiff', tiff: 'image/tiff', ofd: 'application/ofd' };
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.tif,.tiff,.ofd,application/pdf,image/jpeg,image/png,image/tiff';

export interface ReadMaterial { mediaType: string; size: number; sha256: string; content: string }

/** The file's media type when the window may send it, else the Chinese reason it may not (checked before reading). */
export function materialFileProblem(file: File): { mediaType: string } | { problem: string } {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const mediaType = MEDIA_TYPES.includes(file.type) ? file.type : file.type === '' || file.type === 'application/octet-stream' ? BY_EXTENSION[ext] : undefined;
  if (!mediaType) return { problem: '不支持的文件类型：仅限 PDF、JPEG、PNG、TIFF 或 OFD' };
  if (file.size === 0) return { problem: '文件是空的，请重新扫描' };
  if (file.size > MAX_MATERIAL_BYTES) return { problem: `文件过大（${(Math.ceil(file.size / 10485.76) / 100).toFixed(2)} MiB）：单个材料不超过 10 MiB` };
  return { mediaType };
}

/** Reads an accepted file as base64 with its size and SHA-256 (what §7.1 and supplement_provided carry). */
export async function readMaterial(file: File, mediaType: string): Promise<ReadMaterial> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return { mediaType, size: bytes.byteLength, sha256: hex(digest), content: toBase64(bytes) };
}

export const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

function toBase64(bytes: Uint8Array): string {
  let s = '';
  // In slices: String.fromCharCode with 10 MiB of arguments would overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** §7.1 materialsDigest: the SHA-256 of the materials' sha256 values joined with newlines, in order. */
export async function materialsDigest(shas: string[]): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(shas.join('\n')))));
}
