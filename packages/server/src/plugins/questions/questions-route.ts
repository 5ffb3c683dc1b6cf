// `GET /rooms/:id/questions?sort=top|new&limit=&offset=`: a page of a room's questions, for whoever
// may read the room (the audience rule); hidden ones for its moderators only.
import { builtInError, parsePayload, questionListPayloadSchema, QUESTION_LIMITS } from '@chat/protocol';
import type { RestRoute } from '../../core/capability.js';
import type { PluginTools } from '../../core/plugin.js';
import type { QuestionBoard, QuestionPage } from './question-board.js';
import type { QuestionStore } from './question-store.js';

/** The REST route of questions, under the kernel's shared `rooms` prefix. */
export function questionsRoute(tools: PluginTools<QuestionStore>, board: () => QuestionBoard): RestRoute {
  const schema = questionListPayloadSchema();
  return {
    prefix: 'rooms',
    method: 'GET',
    match: (segments) => segments.length === 3 && segments[2] === 'questions',
    async handle({ segments, query, user, handshake }) {
      const roomId = segments[1] ?? '';
      if (!(await tools.mayRead(user, roomId, handshake))) throw builtInError('FORBIDDEN', 'You may not see the questions of this room.');
      const number = (name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
      const asked = parsePayload(schema, {
        roomId,
        ...(query.has('sort') && { sort: query.get('sort') }),
        ...(query.has('limit') && { limit: number('limit') }),
        ...(query.has('offset') && { offset: number('offset') }),
      });
      const page: QuestionPage = {
        sort: asked.sort ?? 'top',
        limit: asked.limit ?? QUESTION_LIMITS.defaultList,
        offset: asked.offset ?? 0,
      };
      return { status: 200, body: { questions: await board().list(roomId, page, { user, handshake }) } };
    },
  };
}
