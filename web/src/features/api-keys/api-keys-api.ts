import {
  apiKeyListSchema,
  apiKeySchema,
  apiKeyWithSecretSchema,
  type CreateApiKeyRequest,
} from '@dialtone/shared/api-keys'
import { requestJson } from '../../lib/request-json.ts'

export function fetchApiKeys() {
  return requestJson('/api/api-keys', apiKeyListSchema)
}

export function createApiKey(request: CreateApiKeyRequest) {
  return requestJson('/api/api-keys', apiKeyWithSecretSchema, { method: 'POST', body: request })
}

export function revokeApiKey(id: string) {
  return requestJson(`/api/api-keys/${encodeURIComponent(id)}`, apiKeySchema, { method: 'DELETE' })
}
