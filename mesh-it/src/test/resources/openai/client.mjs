// Drives the official `openai` npm client against the mesh's gateway, as any application would, and prints what it
// saw as one JSON document. Usage: node client.mjs BASE_URL API_KEY MODEL
import OpenAI from 'openai';

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const messages = [{ role: 'user', content: 'Say hello to the mesh.' }];
const out = {};

function described(e) {
  return {
    isApiError: e instanceof OpenAI.APIError,
    isNotFound: e instanceof OpenAI.NotFoundError,
    isBadRequest: e instanceof OpenAI.BadRequestError,
    status: e.status ?? null,
    code: e.code ?? null,
    type: e.type ?? null,
    param: e.param ?? null,
    message: e.message,
  };
}

out.models = [];
for await (const m of client.models.list()) {
  out.models.push(m);
}

// Greedy (temperature 0): the tiny random model's sampled output sometimes trips llama.cpp's own output parser.
out.whole = await client.chat.completions.create({ model, messages, max_tokens: 24, temperature: 0 });

out.chunks = [];
const stream = await client.chat.completions.create({
  model, messages, max_tokens: 24, temperature: 0, stream: true, stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  out.chunks.push(chunk);
}

try {
  await client.chat.completions.create({ model: 'no-such-model', messages });
  out.unknownModel = null;
} catch (e) {
  out.unknownModel = described(e);
}

try {
  const s = await client.chat.completions.create({ model, messages: [], stream: true });
  for await (const _ of s) { /* drained */ }
  out.badRequest = null;
} catch (e) {
  out.badRequest = described(e);
}

process.stdout.write(JSON.stringify(out));
