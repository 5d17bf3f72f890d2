/*
 * check_int.h - internals of the checker shared by its modules and tests.
 */
#ifndef CA_CHECK_INT_H
#define CA_CHECK_INT_H

#include "citeaudit/check.h"

/*
 * Set the result of id as if it had been checked (copies every string).
 * For tests of the renderers, which need results without a network.
 */
ca_status ca__checker_set_result(ca_checker *chk, size_t id, const ca_result *res);

#endif
