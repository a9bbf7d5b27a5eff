// How long a giveaway's texts may be: one place for the deciders, the pages' forms and the platform's.
export const titleMaxLength = 120;
export const descriptionMaxLength = 2000;
export const contentMaxLength = 2000;
