/**
 * A fake, OpenAI-compatible LLM provider for tests and benchmarks: a real HTTP server on loopback
 * that answers {@code POST /v1/chat/completions} and {@code GET /v1/models} in OpenAI's documented
 * wire format (whole answers and server-sent-event streams), with scripted answers, tool calls, latency,
 * token usage and faults (streams that die mid-answer or are malformed among them), and that records what it
 * received (including the peak number of concurrent requests).
 *
 * <p>{@link dev.drep.testsupport.llm.FakeLlmServer} is the server;
 * {@link dev.drep.testsupport.llm.FakeLlmResource} starts it for a {@code @QuarkusTest} and
 * injects it into fields annotated with {@link dev.drep.testsupport.llm.InjectFakeLlm}.
 */
package dev.drep.testsupport.llm;
