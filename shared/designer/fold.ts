/** Lower case without accents, for searching: "Société" finds "societe", "Zażółć" finds "zazolc", "ılık" finds "ilik". */
export function folded(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[łŁ]/g, 'l').replace(/ı/g, 'i').toLowerCase()
}
