import { sseData } from './sse.js';

/** Where questions go: any OpenAI-compatible chat-completions endpoint. */
export interface AssistantOptions {
  /** The API's base URL, with its version: `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string;
  /** What the model is told it is. */
  systemPrompt?: string;
  /** An answer not finished in this time is cut short, in ms. @default 60000 */
  timeoutMs?: number;
}

/** One turn of the conversation sent to the model. */
interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const DEFAULT_PROMPT = 'You are the assistant of a team meeting chat. Answer briefly and plainly, in the language of the question.';

/**
 * The assistant options from the environment (`OPENAI_BASE_URL`, `OPENAI_MODEL`, `OPENAI_API_KEY`),
 * or undefined when no base URL is set.
 */
export function assistantFromEnv(env: Record<string, string | undefined>): AssistantOptions | undefined {
  const baseUrl = env['OPENAI_BASE_URL'];
  if (!baseUrl) return undefined;
  const apiKey = env['OPENAI_API_KEY'];
  return { baseUrl, model: env['OPENAI_MODEL'] ?? 'gpt-4o-mini', ...(apiKey ? { apiKey } : {}) };
}

/**
 * Asks the model with `stream: true` and yields the answer's text as it arrives (each
 * `choices[0].delta.content` of the `data: {...}` events, until `data: [DONE]`). Throws on an
 * HTTP error, a malformed event or the timeout.
 */
export async function* streamAnswer(options: AssistantOptions, question: string, signal?: AbortSignal): AsyncGenerator<string> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const response = await fetch(`${options.baseUrl.replace(/\/+$/u, '')}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    },
    body: JSON.stringify({
      model: options.model,
      stream: true,
      messages: [
        { role: 'system', content: options.systemPrompt ?? DEFAULT_PROMPT },
        { role: 'user', content: question },
      ] satisfies ChatTurn[],
    }),
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`The assistant answered HTTP ${response.status}.`);
  }
  for await (const data of sseData(response.body as unknown as AsyncIterable<Uint8Array>)) {
    if (data.trim() === '[DONE]') return;
    const event = JSON.parse(data) as { choices?: Array<{ delta?: { content?: unknown } }> };
    const content = event.choices?.[0]?.delta?.content;
    if (typeof content === 'string' && content !== '') yield content;
  }
}
