import { seconds, type Clock } from '../../lib/clock';
import { utf8 } from '../../lib/encoding';
import { bodyDigest, defaultEngine, type JwsEngine } from '../engine';
import type { Ids } from '../../lib/ids';
import type { Signer } from '../keys';
import { REQUEST_TYP, RESPONSE_TYP, type RequestClaims, type ResponseClaims } from './claims';

/** Default lifetime of our signatures: short, well under the 120 s the protocol allows. */
export const SIGNATURE_LIFETIME = 60;

/** Signs claims in the exact header form of §3: `{alg, typ, kid}` in that order. */
export function signClaims(signer: Signer, typ: string, claims: object, engine: JwsEngine = defaultEngine): Promise<string> {
  return engine.sign(signer, typ, utf8(JSON.stringify(claims)));
}

export interface RequestToSign {
  iss: string;
  aud: string;
  method: string;
  /** The receiver's registered endpoint + path (+ `?query`). */
  url: string;
  body: Uint8Array;
}

/** §3: signed at send time, a fresh `jti` for every attempt. */
export async function signRequest(signer: Signer, req: RequestToSign, clock: Clock, ids: Ids, engine: JwsEngine = defaultEngine): Promise<{ token: string; claims: RequestClaims }> {
  const iat = seconds(clock);
  const claims: RequestClaims = {
    iss: req.iss, aud: req.aud, iat, exp: iat + SIGNATURE_LIFETIME, jti: ids.jti(),
    htm: req.method.toUpperCase(), htu: req.url, cdg: await bodyDigest(engine, req.body),
  };
  return { token: await signClaims(signer, REQUEST_TYP, claims, engine), claims };
}

export interface ResponseToSign {
  iss: string;
  aud: string;
  requestJti: string;
  status: number;
  body: Uint8Array;
}

/** §4: binds the answer to the request (`rqj`), its status (`hts`) and its body (`cdg`). */
export async function signResponse(signer: Signer, res: ResponseToSign, clock: Clock, ids: Ids, engine: JwsEngine = defaultEngine): Promise<string> {
  const iat = seconds(clock);
  const claims: ResponseClaims = {
    iss: res.iss, aud: res.aud, iat, exp: iat + SIGNATURE_LIFETIME, jti: ids.jti(),
    rqj: res.requestJti, hts: res.status, cdg: await bodyDigest(engine, res.body),
  };
  return signClaims(signer, RESPONSE_TYP, claims, engine);
}
