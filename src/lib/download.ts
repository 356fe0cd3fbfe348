// Offers bytes or text as a file download (recovery kit, backup codes) without a server round trip.
/** The object URL is revoked soon after: the download has its own copy by then, and the URL would keep the secret in memory. */
export function offerDownload(filename: string, data: BlobPart, type: string): void {
	const url = URL.createObjectURL(new Blob([data], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
