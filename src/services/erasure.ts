import type { Logger } from "../logger.js";
import type { StateBackend } from "../state/index.js";
import type { ErasedPerson, Store } from "../store/port/index.js";

/** Where a conversation's state lives: one namespace per platform, keyed by the chat (the plugin's default key). */
export const conversationNamespace = (platform: string) => `conv:${platform}`;

/**
 * `/delete`: erases the person in the store (every table or collection, see
 * `PeopleRepository.erase`), then the conversation state of every chat they
 * had on any platform: an unfinished step can hold a national ID or a phone.
 */
export async function erasePerson(
  d: { store: Store; state: StateBackend; logger: Logger },
  personId: string,
): Promise<ErasedPerson> {
  const erased = await d.store.people.erase(personId);
  for (const identity of erased.identities)
    await d.state.storage(conversationNamespace(identity.platform)).delete(identity.chatId);
  d.logger.info({ person: personId, accounts: erased.identities.length }, "person erased on request");
  return erased;
}
