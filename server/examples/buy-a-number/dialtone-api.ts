export interface paths {
    "/api/admin/alert-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Admin alert rules
         * @description Platform admins only.
         */
        get: operations["listAlertRules"];
        /**
         * Change admin alert rules
         * @description Platform admins only.
         */
        put: operations["updateAlertRules"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open and closed admin alerts
         * @description Platform admins only.
         */
        get: operations["listAdminAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/call-stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Calls per number and the share of numbers that answered a call within an hour of going live
         * @description Numbers that went live in [from, to) (default: the last 30 days), most calls first.
         *
         *     Platform admins only.
         */
        get: operations["getCallStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/organization-audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every organisation’s audit log (or one’s, with organizationId); format=csv exports it
         * @description Platform admins only.
         */
        get: operations["listOrganizationAuditLogAsAdmin"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/provisioning-stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Provisioning statistics across organisations
         * @description Platform admins only.
         */
        get: operations["getProvisioningStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organisation’s API keys (never the keys themselves)
         * @description Needs `api-keys:manage`. People only (no API keys).
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Make a key; the answer alone carries it, as `key`
         * @description Scopes beyond what your role allows are refused with 403.
         *
         *     Needs `api-keys:manage`. People only (no API keys).
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a key: its next request is refused and its sockets end
         * @description Needs `api-keys:manage`. People only (no API keys).
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/area-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * US area codes matching a code, state or place (or near one)
         * @description Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["searchAreaCodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/assistants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The assistants in the organisation’s Vapi account (to answer its numbers)
         * @description API keys with `numbers:read` may call it.
         */
        get: operations["listAssistants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who did what in the organisation, newest first; format=csv exports every match
         * @description Page with `cursor` (the previous answer’s `nextCursor`). With `format=csv` the answer is `text/csv` (at most 50,000 events, the newest that match, from before `cursor` if given; `limit` does not apply).
         *
         *     Needs `settings:write`. People only (no API keys).
         */
        get: operations["listAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/get-session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session the cookie carries, or null
         * @description Public.
         */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/sign-in/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in; sets the session cookie
         * @description Public.
         */
        post: operations["signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/sign-out": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the session
         * @description Public.
         */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/sign-up/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account and its organisation; sets the session cookie
         * @description Public.
         */
        post: operations["signUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/available-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Numbers a carrier (Twilio, Telnyx) offers: by country, type, area code, digits or letters, place
         * @description One page of the carrier’s inventory in the organisation’s connected account (its sandbox account in sandbox mode). `contains` takes digits, letters (keypad: PIZZA is 74992) and `*` for any digit. Pass `nextPage` back as `page`, with the same filters, for the next page. `monthlyPrice` is there when the carrier says it.
         *
         *     Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["searchAvailableNumbers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/call-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether dialtone receives the organisation’s call messages and where it relays them; never the credential
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        get: operations["getCallEventSettings"];
        /**
         * Turn call events on or off, and set the organisation’s server, its credential and the fallback assistant
         * @description Turning on sets server.url on the organisation’s numbers at Vapi to dialtone’s webhook, remembering each number’s previous server; turning off restores it. Messages Vapi waits on (assistant-request, tool-calls, transfer-destination-request, …) are forwarded at once and the answer returned unchanged, or the fallback when the server fails or is slow; others are stored and forwarded in order per call. forwardAuth left out keeps the stored credential; null forgets it. The forward URL must resolve to a public address unless WEBHOOK_ALLOW_PRIVATE_URLS is set.
         *
         *     Needs `settings:write`. API keys with `settings:write` may call it.
         */
        put: operations["updateCallEventSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/carrier-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Numbers the organisation’s carrier account holds, marked when dialtone already has them
         * @description Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["listCarrierNumbers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections/telnyx": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Which Telnyx account the organisation uses (its own, or its sandbox account); never the credentials
         * @description API keys with `settings:write` may call it.
         */
        get: operations["getTelnyxConnection"];
        /**
         * Connect the organisation’s Telnyx account (checked at Telnyx first)
         * @description An API key, and optionally the account’s webhook public key (Ed25519) to verify its number-order webhooks. Encrypted at rest, never returned.
         *
         *     Needs `settings:write`. API keys with `settings:write` may call it.
         */
        put: operations["connectTelnyxAccount"];
        post?: never;
        /**
         * Forget the organisation’s Telnyx credentials
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        delete: operations["disconnectTelnyxAccount"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections/twilio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Which Twilio account the organisation uses (its own, or its sandbox account); never the credentials
         * @description API keys with `settings:write` may call it.
         */
        get: operations["getTwilioConnection"];
        /**
         * Connect the organisation’s Twilio account (checked at Twilio first)
         * @description The Account SID with an API key SID and secret (preferred), or with the auth token. Encrypted at rest, never returned.
         *
         *     Needs `settings:write`. API keys with `settings:write` may call it.
         */
        put: operations["connectTwilioAccount"];
        post?: never;
        /**
         * Forget the organisation’s Twilio credentials
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        delete: operations["disconnectTwilioAccount"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections/vapi": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Which Vapi account the organisation uses (its own, the deployment’s, or the sandbox); never the key
         * @description API keys with `settings:write` may call it.
         */
        get: operations["getVapiConnection"];
        /**
         * Connect the organisation’s own Vapi account with a private key (checked at Vapi first)
         * @description The key is encrypted at rest and never returned; the answer shows its last four characters.
         *
         *     Needs `settings:write`. API keys with `settings:write` may call it.
         */
        put: operations["connectVapiAccount"];
        post?: never;
        /**
         * Forget the organisation’s own Vapi key
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        delete: operations["disconnectVapiAccount"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Invite someone by email; the link works for 7 days, and a new invitation replaces an open one
         * @description Needs `members:manage`. People only (no API keys).
         */
        post: operations["createInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What an invitation offers, before accepting it (the id is the secret in the link)
         * @description People only (no API keys).
         */
        get: operations["getInvitation"];
        put?: never;
        post?: never;
        /**
         * Revoke an open invitation: its link stops working
         * @description Needs `members:manage`. People only (no API keys).
         */
        delete: operations["revokeInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invitations/{id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join the organisation (signed in with the invited email)
         * @description People only (no API keys).
         */
        post: operations["acceptInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mailbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Mail sent to you (the sandbox mailbox, or the delivery log)
         * @description People only (no API keys).
         */
        get: operations["listMail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mailbox/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One mail with its text and HTML
         * @description People only (no API keys).
         */
        get: operations["getMail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organisation’s members, your role and permissions, and (for owners) its open invitations
         * @description People only (no API keys).
         */
        get: operations["listMembers"];
        put?: never;
        /**
         * Invite someone by email (the same as POST /api/invitations: a member joins by accepting)
         * @description Needs `members:manage`. People only (no API keys).
         */
        post: operations["inviteMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/members/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member, or leave (your own member id); their sockets end at once
         * @description Anyone may leave; removing someone else needs `members:manage`.
         *
         *     People only (no API keys).
         */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /**
         * Change a member’s role (applies to their next request; their sockets reconnect under it)
         * @description Needs `members:manage`. People only (no API keys).
         */
        patch: operations["updateMemberRole"];
        trace?: never;
    };
    "/api/notification-preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your email preferences
         * @description People only (no API keys).
         */
        get: operations["getNotificationPreferences"];
        /**
         * Change your email preferences
         * @description People only (no API keys).
         */
        put: operations["updateNotificationPreferences"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description Public.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete the organisation (its owner only; refused while it holds numbers)
         * @description Needs `settings:write`. People only (no API keys).
         */
        delete: operations["deleteOrganization"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organisations you belong to, with your role in each, and which one you act for
         * @description Switch with POST /api/auth/organization/set-active (the web app’s organisation switcher).
         *
         *     People only (no API keys).
         */
        get: operations["listOrganizations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organisation’s phone numbers, newest first
         * @description Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["listPhoneNumbers"];
        put?: never;
        /**
         * Buy a number: in an area code from Vapi, or a chosen number from a carrier (costs money)
         * @description `{ areaCode }`: answers at once with the number `pending`; it goes `active` when Vapi assigns it (told by webhook, socket event `phone-number:updated`, or seen by polling GET /api/phone-numbers/{id}). `{ carrier, number }`: bought at Twilio or Telnyx and imported into Vapi; a Twilio number is usually `active` in the answer, a Telnyx order `pending` until it completes. If Vapi refuses the import the number is released at the carrier (or kept, with `keepOnFailure`). Send an `Idempotency-Key` so a retried request never buys twice; a repeat answers the number as it is now.
         *
         *     Needs `numbers:write`. API keys with `numbers:write` may call it.
         */
        post: operations["createPhoneNumber"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One number (another organisation’s id answers 404)
         * @description Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["getPhoneNumber"];
        put?: never;
        post?: never;
        /**
         * Release a number at Vapi (and at its carrier, if dialtone bought it there)
         * @description Needs `numbers:write`. API keys with `numbers:write` may call it.
         */
        delete: operations["releasePhoneNumber"];
        options?: never;
        head?: never;
        /**
         * Rename a number and/or choose the Vapi assistant that answers it (null: none)
         * @description Needs `numbers:write`. API keys with `numbers:write` may call it.
         */
        patch: operations["updatePhoneNumber"];
        trace?: never;
    };
    "/api/phone-numbers/{id}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check one number at Vapi now
         * @description Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        post: operations["refreshPhoneNumber"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers/{id}/test-call": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sandbox mode only: ring a live number, with Vapi’s call messages, so its card shows the call
         * @description Answers 404 outside sandbox mode (see canPlaceTestCalls in /api/server-info).
         *
         *     Needs `numbers:write`. API keys with `numbers:write` may call it.
         */
        post: operations["placeTestCall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Bring numbers the organisation already has at a carrier into Vapi, live at once
         * @description Each number is imported on its own: `items` says, per number, `imported` (with its PhoneNumber) or `failed` (with the error; nothing changed for that number). A refused import leaves the number at the carrier.
         *
         *     Needs `numbers:write`. API keys with `numbers:write` may call it.
         */
        post: operations["importCarrierNumbers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers/monthly-cost": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the organisation’s numbers cost a month, per currency
         * @description Summed over pending and live numbers whose carrier gave a price when they were bought or imported. Numbers without a known price are counted in `priceUnknown`, never added as 0; Vapi’s own numbers are free.
         *
         *     Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["getMonthlyCost"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check every pending number at Vapi now
         * @description Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        post: operations["refreshPendingPhoneNumbers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers/timing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How long numbers typically take to go live here
         * @description Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["getProvisioningTiming"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/server-info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What server this is: sandbox or live, version, provisioning deadline
         * @description Public.
         */
        get: operations["getServerInfo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one delivery again
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where dialtone posts the organisation’s events
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Add an endpoint; the answer alone carries its signing secret
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove an endpoint
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recent deliveries to an endpoint with every attempt
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-endpoints/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send again every delivery that failed since a time
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        post: operations["recoverWebhookDeliveries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new signing secret (the old one keeps signing for a while)
         * @description Needs `settings:write`. API keys with `settings:write` may call it.
         */
        post: operations["rotateWebhookEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Messages dialtone received about the organisation’s numbers (Vapi, carriers), newest first
         * @description Each received webhook with when, its type, the number and call it names, how its credentials checked out, what dialtone did (`outcome`, the HTTP status it answered), the relay’s status and latency, and the payload without credentials (and without transcripts, recordings and messages unless the server keeps call content). Filter with `type`, `outcome` (`refused`: every message that failed verification), `phoneNumberId`, `from`, `to`; page with `cursor`. Refused and unknown messages belong to no organisation: platform admins see them with `all=true` (others get 403). Messages are kept WEBHOOK_LOG_RETENTION_DAYS (14 by default).
         *
         *     Needs `numbers:read`. API keys with `numbers:read` may call it.
         */
        get: operations["listWebhookLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-log/{id}/reprocess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Process one received message again through the same handling
         * @description Idempotent: the handling de-duplicates on the message’s delivery id, so a message that was applied answers `duplicate` and changes nothing; one that failed the first time (the database away) is applied now. Only verified messages (409 CONFLICT otherwise). Recorded in the audit log.
         *
         *     Needs `settings:write`. API keys with `settings:write` may call it.
         */
        post: operations["reprocessWebhookMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-log/reprocess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Process every verified message received since a time again, oldest first (at most 1,000 a request)
         * @description Idempotent like one message’s reprocess. `continueFrom` is set when more matched: send it as `since`. Recorded in the audit log.
         *
         *     Needs `settings:write`. API keys with `settings:write` may call it.
         */
        post: operations["reprocessWebhookMessagesSince"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "phone-number.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * dialtone posts `phone-number.failed` to your endpoint
         * @description Signed as Standard Webhooks: headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` (HMAC-SHA256 with the endpoint’s `whsec_` secret over `{id}.{timestamp}.{body}`). Answer 2xx within 10 s; anything else is retried on a schedule.
         */
        post: operations["webhookPhoneNumberFailed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "phone-number.live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * dialtone posts `phone-number.live` to your endpoint
         * @description Signed as Standard Webhooks: headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` (HMAC-SHA256 with the endpoint’s `whsec_` secret over `{id}.{timestamp}.{body}`). Answer 2xx within 10 s; anything else is retried on a schedule.
         */
        post: operations["webhookPhoneNumberLive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "phone-number.released": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * dialtone posts `phone-number.released` to your endpoint
         * @description Signed as Standard Webhooks: headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` (HMAC-SHA256 with the endpoint’s `whsec_` secret over `{id}.{timestamp}.{body}`). Answer 2xx within 10 s; anything else is retried on a schedule.
         */
        post: operations["webhookPhoneNumberReleased"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "phone-number.updated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * dialtone posts `phone-number.updated` to your endpoint
         * @description Signed as Standard Webhooks: headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` (HMAC-SHA256 with the endpoint’s `whsec_` secret over `{id}.{timestamp}.{body}`). Answer 2xx within 10 s; anything else is retried on a schedule.
         */
        post: operations["webhookPhoneNumberUpdated"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        AcceptInvitationResponse: {
            organization: {
                id: string;
                name: string;
            };
            /** @enum {string} */
            role: "owner" | "admin" | "member";
        };
        AdminAlert: {
            closedAt: string | null;
            closingSummary: string | null;
            id: string;
            /** @enum {string} */
            kind: "success_rate_below" | "time_to_live_p90_above" | "pending_past_deadline" | "vapi_failing";
            openedAt: string;
            /** @enum {string} */
            status: "open" | "closed";
            summary: string;
            threshold: number;
            value: number | null;
        };
        ConnectTelnyxAccountRequest: {
            apiKey: string;
            publicKey?: string;
        };
        ConnectTwilioAccountRequest: {
            accountSid: string;
            apiKeySecret: string;
            apiKeySid: string;
        } | {
            accountSid: string;
            authToken: string;
        };
        ConnectVapiAccountRequest: {
            apiKey: string;
        };
        CreateApiKeyRequest: {
            expiresAt?: string | null;
            name: string;
            scopes: ("numbers:read" | "numbers:write" | "settings:write")[];
        };
        CreateApiKeyResponse201: {
            createdAt: string;
            createdBy: {
                email: string;
                id: string;
                name: string;
            };
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            isExpired: boolean;
            isRevoked: boolean;
            key: string;
            lastFour: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            scopes: ("numbers:read" | "numbers:write" | "settings:write")[];
        };
        CreatePhoneNumberRequest: {
            areaCode: string;
            /** Format: uuid */
            assistantId?: string;
            name?: string;
        } | {
            /** Format: uuid */
            assistantId?: string;
            /** @enum {string} */
            carrier: "twilio" | "telnyx";
            keepOnFailure?: boolean;
            name?: string;
            number: string;
        };
        CreateWebhookEndpointRequest: {
            events?: ("phone-number.live" | "phone-number.failed" | "phone-number.released" | "phone-number.updated")[];
            url: string;
        };
        CreateWebhookEndpointResponse201: {
            createdAt: string;
            disabledAt: string | null;
            disabledReason: string | null;
            events: ("phone-number.live" | "phone-number.failed" | "phone-number.released" | "phone-number.updated")[];
            failingSince: string | null;
            /** Format: uuid */
            id: string;
            previousSecretExpiresAt: string | null;
            /** Format: starts_with */
            secret: string;
            url: string;
        };
        DeleteOrganizationResponse: {
            organization: {
                deletedAt: string;
                id: string;
                name: string;
            };
        };
        ErrorBody: {
            error: {
                code: string;
                details?: unknown;
                message: string;
            };
        };
        GetCallEventSettingsResponse: {
            enabled: boolean;
            fallbackAssistantId: string | null;
            forwardAuth: {
                hint: string;
                /** @enum {string} */
                type: "bearer" | "secret" | "hmac";
            } | null;
            forwardUrl: string | null;
            keepTranscripts: boolean;
            routedNumbers: number;
        };
        GetCallStatsResponse: {
            answeredWithinHour: number;
            answeredWithinHourShare: number | null;
            liveNumbers: number;
            numbers: {
                activatedAt: string | null;
                answeredFirstCallAt: string | null;
                calls: number;
                failing: boolean;
                id: string;
                number: string | null;
                organizationId: string;
                organizationName: string | null;
            }[];
            range: {
                from: string;
                to: string;
            };
        };
        GetInvitationResponse: {
            email: string;
            expiresAt: string;
            id: string;
            invitedBy: string;
            organizationName: string;
            /** @enum {string} */
            role: "owner" | "admin" | "member";
            /** @enum {string} */
            status: "pending" | "accepted" | "revoked" | "expired";
        };
        GetMailResponse: {
            attempts: number;
            createdAt: string;
            deliveredVia: ("smtp" | "mailbox" | "http") | null;
            htmlBody: string | null;
            id: string;
            lastError: string | null;
            nextAttemptAt: string | null;
            recipient: string;
            sentAt: string | null;
            /** @enum {string} */
            status: "queued" | "sending" | "sent" | "failed";
            subject: string | null;
            textBody: string | null;
            /** @enum {string} */
            topic: "phone-numbers" | "admin-alert" | "invitation";
        };
        GetMonthlyCostResponse: {
            freeVapiNumbers: number;
            priceUnknown: number;
            totals: {
                amount: string;
                currency: string;
                numbers: number;
            }[];
        };
        GetNotificationPreferencesResponse: {
            adminAlerts: boolean;
            email: string;
            /** @enum {string} */
            mailDelivery: "smtp" | "mailbox" | "off";
            numberFailed: boolean;
            numberLive: boolean;
            numberReleased: boolean;
            numberStuck: boolean;
        };
        GetProvisioningStatsResponse: {
            areaCodes: {
                areaCode: string;
                requested: number;
                unavailable: number;
            }[];
            buckets: {
                attempts: number;
                failed: number;
                failuresByReason: {
                    [key: string]: number;
                };
                start: string;
                succeeded: number;
                successRate: number | null;
                timeToLive: {
                    p50Seconds: number | null;
                    p90Seconds: number | null;
                    p99Seconds: number | null;
                };
            }[];
            detectedBy: {
                manual: number;
                poll: number;
                webhook: number;
            };
            organizations: {
                attempts: number;
                failed: number;
                failuresByReason: {
                    [key: string]: number;
                };
                id: string;
                liveNow: number;
                name: string;
                succeeded: number;
                successRate: number | null;
            }[];
            providers?: {
                attempts: number;
                country: string | null;
                failed: number;
                failuresByReason: {
                    [key: string]: number;
                };
                /** @enum {string} */
                provider: "vapi" | "twilio" | "telnyx";
                succeeded: number;
                successRate: number | null;
                timeToLive: {
                    p50Seconds: number | null;
                    p90Seconds: number | null;
                    p99Seconds: number | null;
                };
            }[];
            range: {
                /** @enum {string} */
                bucket: "hour" | "day";
                from: string;
                to: string;
            };
            timeToLive: {
                p50Seconds: number | null;
                p90Seconds: number | null;
                p99Seconds: number | null;
            };
            totals: {
                attempts: number;
                failed: number;
                failuresByReason: {
                    [key: string]: number;
                };
                oldestPendingSeconds: number | null;
                pendingNow: number;
                succeeded: number;
                successRate: number | null;
            };
        };
        GetProvisioningTimingResponse: {
            sampleSize: number;
            typicalSecondsToLive: number | null;
        };
        GetServerInfoResponse: {
            canPlaceTestCalls?: boolean;
            isSandbox: boolean;
            /** @enum {string} */
            mailDelivery?: "smtp" | "mailbox" | "off";
            provisioningDeadlineSeconds: number;
            sandboxUrl?: string;
            version: string;
        };
        GetSessionResponse: ({
            session: {
                expiresAt: string;
                id: string;
            } & {
                [key: string]: unknown;
            };
            user: {
                email: string;
                id: string;
                name: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        }) | null;
        GetVapiConnectionResponse: {
            connected: boolean;
            connectedAt: string | null;
            keyHint: string | null;
            source: ("organization" | "platform" | "sandbox") | null;
        };
        ImportCarrierNumbersRequest: {
            /** Format: uuid */
            assistantId?: string;
            /** @enum {string} */
            carrier: "twilio" | "telnyx";
            numbers: string[];
        };
        ImportCarrierNumbersResponse: {
            failed: number;
            imported: number;
            items: {
                error: {
                    code: string;
                    message: string;
                } | null;
                number: string;
                /** @enum {string} */
                outcome: "imported" | "failed";
                phoneNumber: components["schemas"]["PhoneNumber"] | null;
            }[];
        };
        InviteMemberRequest: {
            email: string;
            /**
             * @default member
             * @enum {string}
             */
            role: "admin" | "member";
        };
        InviteMemberResponse201: {
            acceptUrl: string;
            createdAt: string;
            email: string;
            expiresAt: string;
            id: string;
            invitedBy: string;
            /** @enum {string} */
            mailDelivery: "smtp" | "mailbox" | "off";
            /** @enum {string} */
            role: "owner" | "admin" | "member";
            /** @enum {string} */
            status: "pending" | "accepted" | "revoked" | "expired";
        };
        ListAdminAlertsResponse: {
            items: components["schemas"]["AdminAlert"][];
        };
        ListAlertRulesResponse: {
            items: {
                description: string;
                enabled: boolean;
                /** @enum {string} */
                kind: "success_rate_below" | "time_to_live_p90_above" | "pending_past_deadline" | "vapi_failing";
                threshold: number;
                unit: string;
            }[];
        };
        ListApiKeysResponse: {
            items: components["schemas"]["RevokeApiKeyResponse"][];
        };
        ListAssistantsResponse: {
            items: {
                id: string;
                name: string | null;
            }[];
        };
        ListAuditLogResponse: {
            items: {
                action: string;
                actor: {
                    id: string | null;
                    label: string;
                    /** @enum {string} */
                    type: "user" | "api-key" | "system";
                };
                at: string;
                clientAddress: string | null;
                details: {
                    [key: string]: unknown;
                };
                id: string;
                organizationId: string;
                target: {
                    id: string | null;
                    label: string | null;
                    type: string;
                };
            }[];
            nextCursor: string | null;
        };
        ListCarrierNumbersResponse: {
            items: {
                capabilities: {
                    mms: boolean;
                    sms: boolean;
                    voice: boolean;
                } | null;
                carrierNumberId: string;
                country: string | null;
                createdAt: string | null;
                friendlyName: string | null;
                heldByDialtone: boolean;
                number: string;
                phoneNumberId: string | null;
            }[];
        };
        ListMailResponse: {
            items: {
                attempts: number;
                createdAt: string;
                deliveredVia: ("smtp" | "mailbox" | "http") | null;
                id: string;
                lastError: string | null;
                nextAttemptAt: string | null;
                recipient: string;
                sentAt: string | null;
                /** @enum {string} */
                status: "queued" | "sending" | "sent" | "failed";
                subject: string | null;
                /** @enum {string} */
                topic: "phone-numbers" | "admin-alert" | "invitation";
            }[];
            /** @enum {string} */
            mailDelivery: "smtp" | "mailbox" | "off";
        };
        ListMembersResponse: {
            invitations: {
                acceptUrl: string;
                createdAt: string;
                email: string;
                expiresAt: string;
                id: string;
                invitedBy: string;
                /** @enum {string} */
                role: "owner" | "admin" | "member";
                /** @enum {string} */
                status: "pending" | "accepted" | "revoked" | "expired";
            }[];
            items: {
                email: string;
                id: string;
                isYou: boolean;
                joinedAt: string;
                name: string;
                /** @enum {string} */
                role: "owner" | "admin" | "member";
                userId: string;
            }[];
            organization: {
                id: string;
                name: string;
            };
            you: {
                permissions: ("numbers:read" | "numbers:write" | "settings:write" | "members:manage" | "api-keys:manage")[];
                /** @enum {string} */
                role: "owner" | "admin" | "member";
            };
        };
        ListOrganizationsResponse: {
            activeOrganizationId: string;
            items: {
                id: string;
                name: string;
                /** @enum {string} */
                role: "owner" | "admin" | "member";
            }[];
        };
        ListPhoneNumbersResponse: {
            items: components["schemas"]["PhoneNumber"][];
            nextCursor: string | null;
        };
        ListWebhookDeliveriesResponse: {
            items: components["schemas"]["RetryWebhookDeliveryResponse202"][];
        };
        ListWebhookEndpointsResponse: {
            items: {
                createdAt: string;
                disabledAt: string | null;
                disabledReason: string | null;
                events: ("phone-number.live" | "phone-number.failed" | "phone-number.released" | "phone-number.updated")[];
                failingSince: string | null;
                /** Format: uuid */
                id: string;
                previousSecretExpiresAt: string | null;
                url: string;
            }[];
        };
        ListWebhookLogResponse: {
            items: {
                bodyBytes: number;
                callId: string | null;
                handlingMs: number | null;
                headers: {
                    [key: string]: string;
                };
                httpStatus: number;
                id: string;
                lastReprocessedAt: string | null;
                lastReprocessOutcome: string | null;
                number: string | null;
                organizationId: string | null;
                outcome: string;
                payload: unknown;
                phoneNumberId: string | null;
                receivedAt: string;
                redactions: string[];
                relay: {
                    attempts: number;
                    detail: string | null;
                    latencyMs: number | null;
                    status: string;
                } | null;
                reprocessCount: number;
                source: string;
                type: string | null;
                /** @enum {string} */
                verification: "ok" | "bad-signature" | "missing-credentials" | "stale";
                verificationDetail: string | null;
            }[];
            nextCursor: string | null;
        };
        PhoneNumber: {
            activatedAt: string | null;
            activity: {
                answeredFirstCallAt: string | null;
                callStartedAt: string | null;
                callsToday: number;
                failing: boolean;
                lastCallAt: string | null;
                lastEndedReason: string | null;
                /** @enum {string} */
                state: "idle" | "ringing" | "in-call";
            };
            areaCode: string;
            assistant: {
                id: string;
                name: string | null;
            } | null;
            capabilities: {
                mms: boolean;
                sms: boolean;
                voice: boolean;
            };
            country: string;
            createdAt: string;
            detectedBy: ("webhook" | "poll" | "manual") | null;
            failureReason: string | null;
            /** Format: uuid */
            id: string;
            monthlyPrice?: {
                amount: string;
                currency: string;
            } | null;
            name: string | null;
            number: string | null;
            /** @enum {string} */
            provider: "vapi" | "twilio" | "telnyx";
            /** @enum {string} */
            status: "pending" | "active" | "failed" | "released";
            updatedAt: string;
            vapiPhoneNumberId: string | null;
            version: number;
        };
        PlaceTestCallRequest: {
            durationMs?: number;
            endedReason?: string;
        };
        PlaceTestCallResponse202: {
            callId: string;
        };
        ProvisioningStatsChange: {
            at: string;
            organizationId: string;
            phoneNumberId: string;
            /** @enum {string} */
            status: "pending" | "active" | "failed" | "released";
        };
        RecoverWebhookDeliveriesRequest: {
            /** Format: date-time */
            since: string;
        };
        RecoverWebhookDeliveriesResponse: {
            recovered: number;
        };
        RefreshPendingPhoneNumbersResponse: {
            activated: number;
            checked: number;
            failed: number;
            stillPending: number;
        };
        ReprocessWebhookMessageResponse: {
            id: string;
            outcome: string;
        };
        ReprocessWebhookMessagesSinceRequest: {
            /** Format: date-time */
            since: string;
        };
        ReprocessWebhookMessagesSinceResponse: {
            continueFrom: string | null;
            outcomes: {
                [key: string]: number;
            };
            reprocessed: number;
        };
        RetryWebhookDeliveryResponse202: {
            attempts: {
                at: string;
                id: string;
                isSuccess: boolean;
                latencyMs: number;
                responseExcerpt: string;
                responseStatus: number | null;
            }[];
            createdAt: string;
            /** Format: uuid */
            endpointId: string;
            /** @enum {string} */
            eventType: "phone-number.live" | "phone-number.failed" | "phone-number.released" | "phone-number.updated";
            /** Format: uuid */
            id: string;
            nextAttemptAt: string | null;
            phoneNumberId: string | null;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            webhookId: string;
        };
        RevokeApiKeyResponse: {
            createdAt: string;
            createdBy: {
                email: string;
                id: string;
                name: string;
            };
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            isExpired: boolean;
            isRevoked: boolean;
            lastFour: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            scopes: ("numbers:read" | "numbers:write" | "settings:write")[];
        };
        SearchAreaCodesResponse: {
            items: {
                areaCode: string;
                places: string[];
                state: string;
            }[];
        };
        SearchAvailableNumbersResponse: {
            items: {
                addressRequired: boolean;
                capabilities: {
                    mms: boolean;
                    sms: boolean;
                    voice: boolean;
                };
                country: string;
                locality: string | null;
                monthlyPrice?: {
                    amount: string;
                    currency: string;
                };
                number: string;
                region: string | null;
            }[];
            nextPage?: string;
        };
        SignInRequest: {
            /** Format: email */
            email: string;
            password: string;
        };
        SignOutResponse: {
            success: boolean;
        };
        SignUpRequest: {
            /** Format: email */
            email: string;
            name: string;
            password: string;
        };
        SignUpResponse: {
            user: {
                email: string;
                id: string;
                name: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        UpdateAlertRulesRequest: {
            rules: {
                enabled?: boolean;
                /** @enum {string} */
                kind: "success_rate_below" | "time_to_live_p90_above" | "pending_past_deadline" | "vapi_failing";
                threshold?: number;
            }[];
        };
        UpdateCallEventSettingsRequest: {
            enabled: boolean;
            fallbackAssistantId?: string | null;
            forwardAuth?: ({
                token: string;
                /** @constant */
                type: "bearer";
            } | {
                secret: string;
                /** @constant */
                type: "secret";
            } | {
                secret: string;
                /** @constant */
                type: "hmac";
            }) | null;
            forwardUrl?: string | null;
            keepTranscripts?: boolean;
        };
        UpdateMemberRoleRequest: {
            /** @enum {string} */
            role: "owner" | "admin" | "member";
        };
        UpdateMemberRoleResponse: {
            id: string;
            /** @enum {string} */
            role: "owner" | "admin" | "member";
        };
        UpdateNotificationPreferencesRequest: {
            adminAlerts?: boolean;
            numberFailed?: boolean;
            numberLive?: boolean;
            numberReleased?: boolean;
            numberStuck?: boolean;
        };
        UpdatePhoneNumberRequest: {
            assistantId?: string | null;
            name?: string;
        };
        WebhookPayload: {
            data: components["schemas"]["PhoneNumber"];
            timestamp: string;
            /** @enum {string} */
            type: "phone-number.live" | "phone-number.failed" | "phone-number.released" | "phone-number.updated";
        };
    };
    responses: {
        /** @description VALIDATION_FAILED: the request is not valid; `details.issues` names each field. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description FORBIDDEN: the role or key lacks `details.required`, or the route is not for API keys (`details.reason`). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description NOT_FOUND: no such thing in your organisation (another organisation’s id answers the same). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description RATE_LIMITED: too many requests; wait for `Retry-After` seconds. */
        RateLimited: {
            headers: {
                /** @description Seconds to wait. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description UNAUTHENTICATED (no session) or API_KEY_INVALID (`details.reason`: unknown, revoked, expired, creator-inactive). */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAlertRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Rules. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAlertRulesResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    updateAlertRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAlertRulesRequest"];
            };
        };
        responses: {
            /** @description Rules. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAlertRulesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listAdminAlerts: {
        parameters: {
            query?: {
                status?: "open" | "closed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alerts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAdminAlertsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getCallStats: {
        parameters: {
            query?: {
                from?: string;
                limit?: number;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The statistics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetCallStatsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listOrganizationAuditLogAsAdmin: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                cursor?: string;
                format?: "json" | "csv";
                limit?: number;
                organizationId?: string;
                since?: string;
                target?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events (JSON), or all matching events (CSV). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAuditLogResponse"];
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getProvisioningStats: {
        parameters: {
            query?: {
                bucket?: "hour" | "day";
                from?: string;
                organizationId?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Statistics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetProvisioningStatsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Keys, newest first, revoked ones included. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListApiKeysResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The key, shown this once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateApiKeyResponse201"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key, revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokeApiKeyResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    searchAreaCodes: {
        parameters: {
            query?: {
                limit?: number;
                near?: string;
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Matching area codes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchAreaCodesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    listAssistants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Assistants. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAssistantsResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONNECTION_REQUIRED (no Vapi account connected), VAPI_ACCOUNT_DISCONNECTED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description VAPI_REJECTED, VAPI_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description VAPI_UNAVAILABLE, VAPI_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listAuditLog: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                cursor?: string;
                format?: "json" | "csv";
                limit?: number;
                since?: string;
                target?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events (JSON), or all matching events (CSV). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAuditLogResponse"];
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session and its user, or null. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetSessionResponse"];
                };
            };
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignInRequest"];
            };
        };
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignUpResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignOutResponse"];
                };
            };
        };
    };
    signUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignUpRequest"];
            };
        };
        responses: {
            /** @description Signed up and signed in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignUpResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description USER_ALREADY_EXISTS (Better Auth) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    searchAvailableNumbers: {
        parameters: {
            query: {
                areaCode?: string;
                carrier: "twilio" | "telnyx";
                contains?: string;
                country?: string;
                locality?: string;
                nearNumber?: string;
                page?: string;
                region?: string;
                type?: "local" | "toll-free" | "mobile";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of available numbers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchAvailableNumbersResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONNECTION_REQUIRED: connect the carrier first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description CARRIER_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getCallEventSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings (the credential as its type and last four characters). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetCallEventSettingsResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    updateCallEventSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCallEventSettingsRequest"];
            };
        };
        responses: {
            /** @description The settings as they are now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetCallEventSettingsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            /** @description VAPI_REJECTED, VAPI_UNAUTHORIZED (numbers already changed are remembered) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description VAPI_UNAVAILABLE, VAPI_RATE_LIMITED */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listCarrierNumbers: {
        parameters: {
            query: {
                carrier: "twilio" | "telnyx";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The carrier account’s numbers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListCarrierNumbersResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONNECTION_REQUIRED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description CARRIER_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getTelnyxConnection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    connectTelnyxAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectTelnyxAccountRequest"];
            };
        };
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONNECTION_INVALID: Telnyx refused the credentials; nothing was saved */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    disconnectTelnyxAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection as it is now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    getTwilioConnection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    connectTwilioAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectTwilioAccountRequest"];
            };
        };
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONNECTION_INVALID: Twilio refused the credentials; nothing was saved */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    disconnectTwilioAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection as it is now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    getVapiConnection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    connectVapiAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectVapiAccountRequest"];
            };
        };
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONNECTION_INVALID: Vapi refused the key; nothing was saved */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description VAPI_UNAVAILABLE, VAPI_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    disconnectVapiAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection as it is now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetVapiConnectionResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    createInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InviteMemberRequest"];
            };
        };
        responses: {
            /** @description The invitation, with its link. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteMemberResponse201"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONFLICT: that email is already a member of this organisation */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invitation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetInvitationResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    revokeInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    acceptInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation joined and your role. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptInvitationResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            /** @description INVITATION_FOR_ANOTHER_EMAIL (sign in with the invited address), or FORBIDDEN for API keys */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description INVITATION_EXPIRED: ask for a new one */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listMail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Your mail. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListMailResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
        };
    };
    getMail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mail. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetMailResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    listMembers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Members; `invitations` is empty unless you hold `members:manage`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListMembersResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
        };
    };
    inviteMember: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InviteMemberRequest"];
            };
        };
        responses: {
            /** @description The invitation, with its link. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteMemberResponse201"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONFLICT: that email is already a member of this organisation */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            /** @description FORBIDDEN: removing someone else needs `members:manage` (`details.required`), or API keys (`details.reason`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description LAST_OWNER: the organisation’s last owner cannot leave or be removed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMemberRoleRequest"];
            };
        };
        responses: {
            /** @description The member’s new role. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpdateMemberRoleResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description LAST_OWNER: the organisation’s last owner cannot be demoted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getNotificationPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Preferences. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetNotificationPreferencesResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
        };
    };
    updateNotificationPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNotificationPreferencesRequest"];
            };
        };
        responses: {
            /** @description Preferences. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetNotificationPreferencesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 description of the API. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteOrganizationResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description ORGANIZATION_HAS_NUMBERS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listOrganizations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Your organisations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOrganizationsResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
        };
    };
    listPhoneNumbers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                q?: string;
                status?: "pending" | "active" | "failed" | "released";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of numbers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListPhoneNumbersResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    createPhoneNumber: {
        parameters: {
            query?: never;
            header?: {
                /** @description Up to 200 printable ASCII characters; repeats replay. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePhoneNumberRequest"];
            };
        };
        responses: {
            /** @description The new number, pending. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneNumber"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description AREA_CODE_UNAVAILABLE (details.suggestedAreaCodes), NUMBER_UNAVAILABLE, CONNECTION_REQUIRED, CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description NUMBER_INVALID, ASSISTANT_NOT_FOUND */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description VAPI_REJECTED, VAPI_UNAUTHORIZED, CARRIER_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description VAPI_UNAVAILABLE, VAPI_RATE_LIMITED, CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getPhoneNumber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The number. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneNumber"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
        };
    };
    releasePhoneNumber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The number, released. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneNumber"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            /** @description VAPI_REJECTED, VAPI_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description VAPI_UNAVAILABLE, VAPI_RATE_LIMITED */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updatePhoneNumber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdatePhoneNumberRequest"];
            };
        };
        responses: {
            /** @description The number, changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneNumber"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description VAPI_ACCOUNT_DISCONNECTED: the Vapi account that bought it is no longer connected */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description ASSISTANT_NOT_FOUND: no such assistant in the organisation’s Vapi account; nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description VAPI_REJECTED, VAPI_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description VAPI_UNAVAILABLE, VAPI_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refreshPhoneNumber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The number as Vapi has it now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneNumber"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            /** @description VAPI_REJECTED, VAPI_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description VAPI_UNAVAILABLE, VAPI_RATE_LIMITED */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    placeTestCall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlaceTestCallRequest"];
            };
        };
        responses: {
            /** @description The call is placed; the sandbox runs it. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlaceTestCallResponse202"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description CONFLICT: the number is not live */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
        };
    };
    importCarrierNumbers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportCarrierNumbersRequest"];
            };
        };
        responses: {
            /** @description What happened to each number. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportCarrierNumbersResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description CONNECTION_REQUIRED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description CARRIER_UNAUTHORIZED */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getMonthlyCost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Totals per currency. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetMonthlyCostResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    refreshPendingPhoneNumbers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the check found. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshPendingPhoneNumbersResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    getProvisioningTiming: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Median seconds to live. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetProvisioningTimingResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    getServerInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server information. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetServerInfoResponse"];
                };
            };
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued again. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetryWebhookDeliveryResponse202"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoints (never their secrets). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListWebhookEndpointsResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint with `secret`. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointResponse201"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deliveries, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListWebhookDeliveriesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
        };
    };
    recoverWebhookDeliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecoverWebhookDeliveriesRequest"];
            };
        };
        responses: {
            /** @description How many were queued again. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoverWebhookDeliveriesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
        };
    };
    rotateWebhookEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint with its new `secret`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointResponse201"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
        };
    };
    listWebhookLog: {
        parameters: {
            query?: {
                all?: "true" | "false";
                cursor?: string;
                from?: string;
                limit?: number;
                outcome?: string;
                phoneNumberId?: string;
                to?: string;
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListWebhookLogResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    reprocessWebhookMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the handling answered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReprocessWebhookMessageResponse"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: components["responses"]["RateLimited"];
        };
    };
    reprocessWebhookMessagesSince: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReprocessWebhookMessagesSinceRequest"];
            };
        };
        responses: {
            /** @description How many, and their outcomes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReprocessWebhookMessagesSinceResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
        };
    };
    webhookPhoneNumberFailed: {
        parameters: {
            query?: never;
            header: {
                "webhook-id": string;
                "webhook-signature": string;
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPayload"];
            };
        };
        responses: {
            /** @description Received (any 2xx). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookPhoneNumberLive: {
        parameters: {
            query?: never;
            header: {
                "webhook-id": string;
                "webhook-signature": string;
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPayload"];
            };
        };
        responses: {
            /** @description Received (any 2xx). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookPhoneNumberReleased: {
        parameters: {
            query?: never;
            header: {
                "webhook-id": string;
                "webhook-signature": string;
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPayload"];
            };
        };
        responses: {
            /** @description Received (any 2xx). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookPhoneNumberUpdated: {
        parameters: {
            query?: never;
            header: {
                "webhook-id": string;
                "webhook-signature": string;
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPayload"];
            };
        };
        responses: {
            /** @description Received (any 2xx). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
