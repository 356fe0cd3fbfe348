// The settings sections, each its own route so it can be linked to and the back button moves between them.
export type SettingsSection = {
	slug: 'account' | 'security' | 'devices' | 'keys';
	label: string;
	href: string;
	/** One line for the settings index. */
	summary: string;
};

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
	{
		slug: 'account',
		label: 'Account',
		href: '/app/settings/account',
		summary: 'Your email address and your password.'
	},
	{
		slug: 'security',
		label: 'Security',
		href: '/app/settings/security',
		summary: 'Two-factor, passkeys, your recovery key and the security log.'
	},
	{
		slug: 'devices',
		label: 'Devices',
		href: '/app/settings/devices',
		summary: 'Where you are signed in; sign out one device or all of them.'
	},
	{
		slug: 'keys',
		label: 'Keys',
		href: '/app/settings/keys',
		summary: 'Your key fingerprint, to compare with what teammates see.'
	}
];
