/*
 * fuzz-text.c - fuzz target for the extraction of plain text with bare URLs (extract_text.c):
 * the input is a whole document, extracted with the format forced so the
 * sniffer never routes it elsewhere. See fuzz-common.c for what is checked.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_extract(data, size, CA_FORMAT_TEXT, "x.txt");
    return 0;
}
