import { z } from '@hono/zod-openapi';
import { WINDOW_ID } from '../../../services/clerks/schema';

export const windowSchema = z.object({
  id: z.string().openapi({ example: 'kuayu-1' }),
  name: z.string().openapi({ example: '跨域通办专窗 1号' }),
  address: z.string().optional().openapi({ example: '高新区政务服务中心一楼' }),
  phone: z.string().optional(),
}).openapi('Window', { description: "One of this member's 跨域通办 windows (its partner file)" });

export const windowListSchema = z.array(windowSchema).openapi('WindowList');

// No `.openapi()` on WINDOW_ID: zod 4 copies methods onto a schema when it is made, so one made before
// @hono/zod-openapi was first imported (import order decides) has none. The key names the parameter.
export const windowParams = z.object({ windowId: WINDOW_ID });
