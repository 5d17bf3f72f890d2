/*
 * error.c - status descriptions and the first-error-wins detail record.
 * The tables come from CA_STATUS_MAP so the enum, names and texts never drift
 * apart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "citeaudit/error.h"

const char *ca_strerror(ca_status st)
{
    switch (st) {
#define CA__STATUS_TEXT(name, num, text)                                       \
    case CA_##name:                                                            \
        return text;
        CA_STATUS_MAP(CA__STATUS_TEXT)
#undef CA__STATUS_TEXT
    }
    return "unknown error";
}

const char *ca_status_name(ca_status st)
{
    switch (st) {
#define CA__STATUS_NAME(name, num, text)                                       \
    case CA_##name:                                                            \
        return #name;
        CA_STATUS_MAP(CA__STATUS_NAME)
#undef CA__STATUS_NAME
    }
    return "UNKNOWN";
}

void ca_error_clear(ca_error *err)
{
    if (!err)
        return;
    err->code = CA_OK;
    err->msg[0] = '\0';
}

ca_status ca_error_set(ca_error *err, ca_status st, const char *fmt, ...)
{
    va_list ap;

    if (!err || err->code != CA_OK || st == CA_OK)
        return st;
    err->code = st;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return st;
}

const char *ca_error_message(const ca_error *err)
{
    if (!err)
        return "";
    if (err->msg[0])
        return err->msg;
    return ca_strerror(err->code);
}
