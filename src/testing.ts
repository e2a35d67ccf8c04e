/**
 * wakeful/testing
 * @packageDocumentation
 */
export const TESTING_PLACEHOLDER_REMOVE_ME = 0;
