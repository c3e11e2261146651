/**
 * MedCom's VDX health check (the public `KvalitetsIT/medcom-vdx-healthcheck`) books its test
 * meetings with this project code. They are real meetings to the booking API and the conference
 * node, but never count in the service's figures (decision 0020).
 */
export const HEALTH_CHECK_PROJECT_CODE = 'healthcheck';
