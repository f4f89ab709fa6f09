#ifndef TEPROV_CLIBXML2_SHIM_H
#define TEPROV_CLIBXML2_SHIM_H
/* Debian builds libxml2 with ICU, and encoding.h then includes the system's <unicode/ucnv.h>. Its
 * UErrorCode clashes with the ICU that Foundation ships (_FoundationICU) in any module that imports
 * both, which breaks a clean build. teprov never touches the ICU fields of xmlCharEncodingHandler
 * (they are at its end, and libxml2 allocates it), so the headers are read without them. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>

/* libxml2 reports a few problems (encoding conversion failures) without a parser context, through
 * the calling thread's error handlers, and some only through the variadic generic handler, which
 * Swift cannot implement. A reader routes both to its own structured handler while it runs and
 * restores them afterwards; these helpers do that on the calling thread. */

static inline void teprov_xml_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

/* The calling thread's libxml2 error handlers, saved while a reader runs. */
typedef struct {
    void *generic;
    void *genericContext;
    void *structured;
    void *structuredContext;
} teprov_xml_thread_error_handlers;

static inline teprov_xml_thread_error_handlers teprov_xml_route_thread_errors(
    xmlStructuredErrorFunc structured, void *context) {
    teprov_xml_thread_error_handlers saved;
    saved.generic = (void *)xmlGenericError;
    saved.genericContext = xmlGenericErrorContext;
    saved.structured = (void *)xmlStructuredError;
    saved.structuredContext = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, teprov_xml_ignore_generic_error);
    xmlSetStructuredErrorFunc(context, structured);
    return saved;
}

static inline void teprov_xml_restore_thread_errors(teprov_xml_thread_error_handlers saved) {
    xmlSetGenericErrorFunc(saved.genericContext, (xmlGenericErrorFunc)saved.generic);
    xmlSetStructuredErrorFunc(saved.structuredContext, (xmlStructuredErrorFunc)saved.structured);
}
#endif
