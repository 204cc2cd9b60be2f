import { z } from '@hono/zod-openapi';

export const memberSummarySchema = z.object({
  id: z.string().openapi({ example: 'xihaike' }),
  name: z.string().openapi({ example: '西海岸新区行政审批服务局' }),
  status: z.enum(['active', 'suspended']),
  items: z.number().int().openapi({ description: 'how many items the registry lists it as handling' }),
}).openapi('MemberSummary');

export const memberListSchema = z.array(memberSummarySchema).openapi('MemberList');
