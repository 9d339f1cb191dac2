/**
 * The config of a switch fresh out of zero-touch provisioning, as the corpus's "day 0": a bootstrap
 * account and a management address from DHCP. Physical ports are shown bare and omitted here (a bare
 * port is the same as none).
 */
export const DAY0_CONFIG = `! device: day0 (vEOS-lab)
!
username admin privilege 15 role network-admin nopassword
!
interface Management1
   ip address dhcp
!
end
`;
