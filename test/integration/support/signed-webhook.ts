import { Webhooks } from "@octokit/webhooks";

/**
 * Delivers webhooks the way GitHub does: JSON body, event and delivery headers, HMAC-SHA256 signature
 * with the secret. Each call gets a fresh delivery id (the service drops replays).
 */
export function signedWebhooks(secret: string, prefix = "delivery") {
  const webhooks = new Webhooks({ secret });
  let deliveries = 0;
  return async (url: string, event: string, payload: unknown): Promise<Response> => {
    const body = JSON.stringify(payload);
    return fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": `${prefix}-${++deliveries}`,
        "x-hub-signature-256": await webhooks.sign(body),
      },
      body,
    });
  };
}
