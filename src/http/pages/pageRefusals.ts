// Refusals as a person reads them on a page: a status and a sentence, decided in one exhaustive switch.
import { assertNever, type DomainErrorCode } from "../../domain/errors.ts";
import { isPickupErrorCode } from "../../domain/pickupErrors.ts";
import { pickupRefusal } from "./pickupRefusals.ts";

/** Refusals the page edge makes itself, besides the domain's. */
export type PageRefusalCode =
  | DomainErrorCode
  | "cross_site"
  | "local_accounts_disabled"
  | "not_found"
  | "bad_form"
  | "body_too_large"
  | "wrong_credentials"
  | "username_taken"
  | "rate_limited"
  | "busy"
  | "internal";

export interface PageRefusal {
  status: number;
  title: string;
  message: string;
}

export function pageRefusal(code: PageRefusalCode, detail?: string): PageRefusal {
  const refusal = (status: number, title: string, message: string) => ({ status, title, message: detail ?? message });
  if (isPickupErrorCode(code)) {
    const { status, title, message } = pickupRefusal(code);
    return refusal(status, title, message);
  }
  switch (code) {
    case "not_participant":
      return refusal(403, "Not your conversation", "Only the giver and the winner can see this conversation.");
    case "not_giver":
      return refusal(403, "Only the giver can draw", "Only the person giving this away can draw the winner.");
    case "giver_cannot_enter":
      return refusal(403, "You are the giver", "You cannot enter your own giveaway.");
    case "local_accounts_disabled":
      return refusal(403, "Sign in on the platform", "Here you sign in through the giveaway platform: open this chat from the platform's own pages.");
    case "cross_site":
      return refusal(403, "Request refused", "This request came from another site, so it was refused to protect your account. Go back and try again from this site.");
    case "conversation_closed":
      return refusal(409, "Not open yet", "The conversation opens once the winner has been drawn.");
    case "already_drawn":
      return refusal(409, "Already drawn", "The winner has already been drawn, so entries are closed.");
    case "no_entrants":
      return refusal(409, "Nobody has entered yet", "Nobody has entered yet, so there is no one to draw.");
    case "giveaway_exists":
      return refusal(409, "Already created", "This giveaway has already been created.");
    case "message_id_conflict":
      return refusal(409, "Sent already", "An earlier copy of this message was already sent. Press Send again to send this text as a new message.");
    case "username_taken":
      return refusal(409, "Name taken", "That username is taken. Please choose another.");
    case "giveaway_not_found":
    case "not_found":
      return refusal(404, "Not found", "There is nothing here. It may have been a mistyped link.");
    case "wrong_credentials":
      return refusal(401, "Sign in failed", "Wrong username or password.");
    case "body_too_large":
      return refusal(413, "Too long", "That was too much text to send at once.");
    case "bad_form":
      return refusal(422, "Please check the form", "Some of what was sent was missing or not valid.");
    case "invalid_content":
      return refusal(422, "Please check your message", "A message must be 1 to 2000 characters.");
    case "invalid_username":
    case "invalid_password":
    case "invalid_title":
    case "invalid_description":
    case "invalid_revision":
      // The domain's own sentence already says what is allowed.
      return refusal(422, "Please check the form", "Some of what was sent was not valid.");
    case "message_not_found":
      return refusal(404, "Not found", "That message is not in this conversation.");
    case "not_sender":
      return refusal(403, "Not yours", "Only its sender can change a message.");
    case "message_retracted":
      return refusal(409, "Message removed", "That message was removed.");
    case "edit_window_closed":
      return refusal(409, "Too late to change", "A message can only be changed for a while after it is sent.");
    case "invalid_emoji":
    case "invalid_reply_to":
    case "invalid_attachment":
      return refusal(422, "Please check the form", "Some of what was sent was not valid.");
    // Blocked: says no more than needed (not who blocked whom).
    case "blocked":
      return refusal(403, "Not possible", "You can't send messages in this conversation.");
    case "cannot_block_self":
      return refusal(422, "Not possible", "You cannot block yourself.");
    case "user_blocked":
    case "user_suspended":
      return refusal(409, "Not possible now", "The giveaway's state does not allow this.");
    case "not_reportable":
      return refusal(422, "Not possible", "Only the other person's messages can be reported.");
    case "invalid_note":
      return refusal(422, "Please check the form", "A note is at most 1000 characters.");
    // Ratings (ratings.ts)
    case "not_completed":
      return refusal(409, "Not handed over yet", "You can rate each other once the item has been handed over.");
    case "rating_closed":
      return refusal(409, "Too late to rate", "Ratings can be given or changed for 7 days after the handover.");
    case "cannot_rate_self":
      return refusal(409, "Not possible", "You cannot rate yourself.");
    case "invalid_stars":
      return refusal(422, "Please choose the stars", "Choose 1 to 5 stars.");
    case "invalid_comment":
      return refusal(422, "Please check the comment", "A comment is at most 500 characters.");
    // Moderation (moderation*.ts)
    case "not_moderator":
      return refusal(403, "Moderators only", "Only moderators can open this page.");
    case "suspended":
      return refusal(403, "Account suspended", "This account is suspended by a moderator.");
    case "report_not_found":
      return refusal(404, "Not found", "There is no such report.");
    case "user_not_found":
      return refusal(404, "Not found", "There is no such user.");
    case "report_not_open":
      return refusal(409, "Already dismissed", "This report was already dismissed.");
    case "not_suspended":
      return refusal(409, "Not suspended", "This user is not suspended.");
    case "invalid_moderation":
      return refusal(422, "Please check the form", "Say why (at most 500 characters), and choose what the action is about.");
    case "rate_limited":
      return refusal(429, "Slow down", "That was too many at once. Please wait a little and try again.");
    case "busy":
      return refusal(503, "Busy", "Too many sign-ins are being checked right now. Please try again in a few seconds.");
    // The platform's own commands (only its API sends them); a page shows them plainly all the same.
    case "giver_fixed":
    case "entries_closed":
    case "winner_not_entrant":
    case "winner_replaced":
      return refusal(409, "Not possible now", "The giveaway's state does not allow this.");
    case "internal":
      return refusal(500, "Something went wrong", "Something went wrong on our side. Please try again.");
    default:
      return assertNever(code);
  }
}

/** The domain's sentence, capitalised, for the codes whose own message is the clearest. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** A refused command as a page shows it: validation refusals keep the domain's own sentence (it names the limits). */
export function domainRefusal(error: { code: DomainErrorCode; message: string }): PageRefusal {
  return error.code.startsWith("invalid_") ? pageRefusal(error.code, sentence(error.message)) : pageRefusal(error.code);
}
