// Refusals as a person reads them on a page: a title and a sentence, decided in one exhaustive switch;
// the status is the one table's (http/errorAnswers.ts), the same the API answers with.
import { assertNever, type DomainErrorCode } from "../../domain/errors.ts";
import { isPickupErrorCode } from "../../domain/pickupErrors.ts";
import { statusOf } from "../errorAnswers.ts";
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
  | "read_model_lagging"
  | "internal";

export interface PageRefusal {
  status: number;
  title: string;
  message: string;
}

export function pageRefusal(code: PageRefusalCode, detail?: string): PageRefusal {
  const refusal = (title: string, message: string) => ({ status: statusOf(code), title, message: detail ?? message });
  if (isPickupErrorCode(code)) {
    const { title, message } = pickupRefusal(code);
    return refusal(title, message);
  }
  switch (code) {
    case "not_participant":
      return refusal("Not your conversation", "Only the giver and the winner can see this conversation.");
    case "not_giver":
      return refusal("Only the giver can draw", "Only the person giving this away can draw the winner.");
    case "giver_cannot_enter":
      return refusal("You are the giver", "You cannot enter your own giveaway.");
    case "local_accounts_disabled":
      return refusal("Sign in on the platform", "Here you sign in through the giveaway platform: open this chat from the platform's own pages.");
    case "cross_site":
      return refusal("Request refused", "This request came from another site, so it was refused to protect your account. Go back and try again from this site.");
    case "conversation_closed":
      return refusal("Not open yet", "The conversation opens once the winner has been drawn.");
    case "already_drawn":
      return refusal("Already drawn", "The winner has already been drawn, so entries are closed.");
    case "no_entrants":
      return refusal("Nobody has entered yet", "Nobody has entered yet, so there is no one to draw.");
    case "giveaway_exists":
      return refusal("Already created", "This giveaway has already been created.");
    case "message_id_conflict":
      return refusal("Sent already", "An earlier copy of this message was already sent. Press Send again to send this text as a new message.");
    case "username_taken":
      return refusal("Name taken", "That username is taken. Please choose another.");
    case "giveaway_not_found":
    case "not_found":
      return refusal("Not found", "There is nothing here. It may have been a mistyped link.");
    case "wrong_credentials":
      return refusal("Sign in failed", "Wrong username or password.");
    case "body_too_large":
      return refusal("Too long", "That was too much text to send at once.");
    case "bad_form":
      return refusal("Please check the form", "Some of what was sent was missing or not valid.");
    case "invalid_content":
      return refusal("Please check your message", "A message must be 1 to 2000 characters.");
    case "invalid_username":
    case "invalid_password":
    case "invalid_title":
    case "invalid_description":
    case "invalid_revision":
      // The domain's own sentence already says what is allowed.
      return refusal("Please check the form", "Some of what was sent was not valid.");
    case "message_not_found":
      return refusal("Not found", "That message is not in this conversation.");
    case "not_sender":
      return refusal("Not yours", "Only its sender can change a message.");
    case "message_retracted":
      return refusal("Message removed", "That message was removed.");
    case "edit_window_closed":
      return refusal("Too late to change", "A message can only be changed for a while after it is sent.");
    case "invalid_emoji":
    case "invalid_reply_to":
      return refusal("Please check the form", "Some of what was sent was not valid.");
    case "invalid_attachment":
      return refusal("That file can't be used", "This kind of file can't be sent: photos, voice notes and PDFs work.");
    // Blocked: says no more than needed (not who blocked whom).
    case "blocked":
      return refusal("Not possible", "You can't send messages in this conversation.");
    case "cannot_block_self":
      return refusal("Not possible", "You cannot block yourself.");
    case "user_blocked":
    case "user_suspended":
      return refusal("Not possible now", "The giveaway's state does not allow this.");
    case "not_reportable":
      return refusal("Not possible", "Only the other person's messages can be reported.");
    case "invalid_note":
      return refusal("Please check the form", "A note is at most 1000 characters.");
    // Ratings (ratings.ts)
    case "not_completed":
      return refusal("Not handed over yet", "You can rate each other once the item has been handed over.");
    case "rating_closed":
      return refusal("Too late to rate", "Ratings can be given or changed for 7 days after the handover.");
    case "cannot_rate_self":
      return refusal("Not possible", "You cannot rate yourself.");
    case "invalid_stars":
      return refusal("Please choose the stars", "Choose 1 to 5 stars.");
    case "invalid_comment":
      return refusal("Please check the comment", "A comment is at most 500 characters.");
    // Moderation (moderation*.ts)
    case "not_moderator":
      return refusal("Moderators only", "Only moderators can open this page.");
    case "suspended":
      return refusal("Account suspended", "This account is suspended by a moderator.");
    case "report_not_found":
      return refusal("Not found", "There is no such report.");
    case "user_not_found":
      return refusal("Not found", "There is no such user.");
    case "report_not_open":
      return refusal("Already dismissed", "This report was already dismissed.");
    case "not_suspended":
      return refusal("Not suspended", "This user is not suspended.");
    case "invalid_moderation":
      return refusal("Please check the form", "Say why (at most 500 characters), and choose what the action is about.");
    case "rate_limited":
      return refusal("Slow down", "That was too many at once. Please wait a little and try again.");
    case "busy":
      return refusal("Busy", "Too many sign-ins are being checked right now. Please try again in a few seconds.");
    case "read_model_lagging":
      return refusal("Not here yet", "That change is not showing here yet. Please try again in a moment.");
    // The platform's own commands (only its API sends them); a page shows them plainly all the same.
    case "giver_fixed":
    case "entries_closed":
    case "winner_not_entrant":
    case "winner_replaced":
      return refusal("Not possible now", "The giveaway's state does not allow this.");
    case "internal":
      return refusal("Something went wrong", "Something went wrong on our side. Please try again.");
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
