import { z } from '@hono/zod-openapi';
import { CLERK_ROLES } from '../../../services/clerks/schema';

export const meSchema = z.object({
  id: z.string().openapi({ example: 'ck_Jx3o9cV2bq1mT8aQ' }),
  name: z.string().openapi({ example: '王芳' }),
  role: z.enum(CLERK_ROLES),
  window: z.object({
    id: z.string().openapi({ example: 'kuayu-1' }),
    /** null: the member has no partner file listing its windows. */
    name: z.string().nullable().openapi({ example: '跨域通办专窗 1号' }),
  }),
  member: z.object({
    id: z.string().openapi({ example: 'gaoxin' }),
    /** From the registry in force; null before one is loaded. */
    name: z.string().nullable().openapi({ example: '高新区行政审批服务中心' }),
  }),
}).openapi('Me', { description: 'The clerk the bearer token belongs to, its window and its member' });

export type Me = z.infer<typeof meSchema>;
