export { createStaffSession, StaffSessionError } from './staff-session';
export type { StaffSession, StaffSessionOptions, StaffSessionState, StaffUser } from './staff-session';
export { useStaffSession } from './useStaffSession';
