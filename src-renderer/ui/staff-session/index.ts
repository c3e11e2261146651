export { createStaffSession, StaffSessionError } from './staff-session';
export type { StaffSession, StaffSessionOptions, StaffSessionState, StaffUser } from './staff-session';
export { useStaffSession } from './useStaffSession';
export { useStaffSignIn } from './useStaffSignIn';
export type { SignedOutReason, StaffSignIn } from './useStaffSignIn';
export { SignedOutPanel } from './SignedOutPanel';
