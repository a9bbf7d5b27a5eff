// The short safety tip that heads every conversation, for the pages and the API alike (issue 26):
// strangers meet in person, and the oldest scam on free-stuff sites asks the winner to pay.
export const safetyTip = {
  title: "Meeting in person?",
  text: "Meet in a public place in daylight, tell a friend where you are going, and never pay: handoff giveaways are free.",
} as const;
