export const ECE_BIN_COUNT = 15
export const TOP_K = 5
