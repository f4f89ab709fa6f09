#!/usr/bin/env python3
"""Generates every file in samples/ from the one table of Contoso people below.

The four directory exports (users.csv, users.json, users.dsml.xml, users.clixml.xml) carry the same
people with the same values for id, userPrincipalName, displayName, givenName, surname, mail,
jobTitle, department and accountEnabled. The assignment, role, group, deleted-user, config and
snapshot files are consistent with them. samples/README.md says who demonstrates what.

Run from anywhere: `python3 samples/make_samples.py`. Python 3.11 standard library only; the
output is byte-for-byte deterministic.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import unicodedata
import uuid
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
TENANT = "contoso.onmicrosoft.com"
DOMAIN = "contoso.com"
TE_SCIM = "https://api.thousandeyes.com/scim/v2"
CAPTURED_AT = "2026-11-29T08:00:00Z"

# --- Application (the ThousandEyes gallery app's service principal) and its roles ------------------

SERVICE_PRINCIPAL_ID = "6b7fee89-7597-46b5-a5ef-089fed79a69b"
APP_ID = "c6fef1f2-c17a-4876-a4d8-4427b1beeaa6"
APP_NAME = "ThousandEyes"
DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000"
ROLES = {
    "User": "268bee30-0415-45a3-8640-ad9f770ea398",
    "Admin": "357b6f38-7c8d-4830-ba94-3096100598e4",
    "Viewer": "56966ccb-b0ba-4687-a830-985ca5c2d0c2",  # isEnabled: false (retired)
    "msiam_access": "d770aa11-f9dd-430d-bea1-3b148aa1d6af",  # value: null
    "DefaultAccess": DEFAULT_ACCESS,
}

# --- Groups ---------------------------------------------------------------------------------------

NETWORK_OPS = ("1c9ea9b4-1b1b-4769-b282-6887fcfdc8f3", "Network Ops")
NIGHT_SHIFT = ("37023e7f-ab19-4aed-be8a-ee057f312121", "NOC Night Shift")  # nested in Network Ops
MONITORING_BOT = ("60501de3-5dcf-410b-9d77-9fc9a4ce80cf", "Contoso Monitoring Bot")  # a service principal

# --- People ---------------------------------------------------------------------------------------
# Columns: key, id, userPrincipalName, displayName, givenName, surname, mail, jobTitle, department,
# accountEnabled, plus `site` (usage location, city, country, office), `roles` (direct assignments),
# `groups` (direct group memberships), `te` (the ThousandEyes snapshot entry, or None).
# `mail=MAIL` means "same as userPrincipalName".

MAIL = object()

SITES = {
    "RED": ("US", "Redmond", "United States", "Building 40/1101", "98052", "WA", "1 Contoso Way"),
    "PAR": ("FR", "Paris", "France", "Paris Opéra 3", "75009", None, "12 rue Auber"),
    "DUB": ("IE", "Dublin", "Ireland", "Dublin One 2.14", "D02 X285", None, "1 Grand Canal Square"),
    "WAW": ("PL", "Warszawa", "Poland", "Warsaw Spire 21", "00-844", None, "plac Europejski 1"),
    "BER": ("DE", "Berlin", "Germany", "Berlin Mitte 4", "10117", None, "Unter den Linden 21"),
    "MIL": ("IT", "Milano", "Italy", "Milano Porta Nuova", "20124", None, "Via Gioia 8"),
    "LON": ("GB", "London", "United Kingdom", "London Paddington 5", "W2 6BD", None, "2 Kingdom Street"),
}


def person(key, id, upn, display, given, surname, title, department, *, site="RED", enabled=True,
           mail=MAIL, roles=(), groups=(), te=None, sam=None, user_type="Member", created=None, ou="Staff"):
    return dict(key=key, id=id, upn=upn, displayName=display, givenName=given, surname=surname,
                mail=upn if mail is MAIL else mail, jobTitle=title, department=department, enabled=enabled,
                site=site, roles=list(roles), groups=list(groups), te=te, userType=user_type, created=created,
                ou=ou, sam=sam or (given or surname)[0].lower() + surname.lower().replace("'", "")[:19])


def te(te_id, kind="identical", **overrides):
    """A ThousandEyes snapshot entry: kind names the case; overrides replace SCIM values."""
    return dict(te_id=te_id, kind=kind, overrides=overrides)


def nfc(text):
    return None if text is None else unicodedata.normalize("NFC", text)


PEOPLE = [
    person("megan", "49ad42a1-a3a5-4698-8e1a-a22d74be622c", "megan.bowen@contoso.com", "Megan Bowen", "Megan",
           "Bowen", "Marketing Manager", "Marketing", roles=["User"], te=te("1204811")),
    person("alex", "02ef4e16-b805-4a15-9ea2-7764acf442ce", "alex.wilber@contoso.com", "Alex Wilber", "Alex",
           "Wilber", "Network Engineer", "IT Operations", roles=["Admin"], te=te("1204812")),
    person("lidia", "f5bc62b2-f267-46ef-ad31-5060fc7a1236", "lidia.holloway@contoso.com", "Lidia Holloway",
           "Lidia", "Holloway", "Product Manager", "Engineering", roles=["User"],
           te=te("1204815", "drift-displayName", displayName="Lidia H.")),
    person("isaiah", "d8251e43-e8c9-45f2-9c7d-2736bb97873e", "isaiah.langer@contoso.com", "Isaiah Langer",
           "Isaiah", "Langer", "Sales Representative", "Sales, EMEA", site="LON", roles=["User"],
           te=te("1204816", "drift-email", email="isaiah.langer@contoso.co.uk")),
    person("joni", "b37f3732-af04-4a9e-a5cb-91c56232050a", "joni.sherman@contoso.com", "Joni Sherman", "Joni",
           "Sherman", "Paralegal", "Legal", roles=["User"],
           te=te("1204818", "drift-name", formatted="Joni Sherman-Ross", familyName="Sherman-Ross")),
    person("grady", "867ca317-10ea-46cd-9c4d-a35238df4a52", "grady.archibald@contoso.com", "Grady Archibald",
           "Grady", "Archibald", "Solutions Architect", "Engineering", roles=["User"],
           te=te("1204820", "renamed", userName="grady.archie@contoso.com", email="grady.archie@contoso.com",
                 displayName="Grady Archie", formatted="Grady Archie", familyName="Archie")),
    person("zoe", "77840296-c24c-4cc1-a6cc-43f35843c4a6", "zoe.dupre@contoso.com", "Zoë Dupré", "Zoë", "Dupré",
           "UX Designer", "Marketing", site="PAR", roles=["User"], sam="zdupre", te=te("1204823")),
    person("patrick", "d8998d9a-8b20-4cd8-a62f-41d974494e9e", "patrick.obrien@contoso.com", "Patrick O'Brien",
           "Patrick", "O'Brien", "Support Engineer", "Customer Support", site="DUB", roles=["User"]),
    person("adele", "70463a9c-0d3a-4923-9190-f70d4b14a7dc", f"adele.vance_fabrikam.com#EXT#@{TENANT}",
           "Adele Vance", "Adele", "Vance", "Partner Consultant", "Partner Engineering", mail=None,
           user_type="Guest", roles=["User"], sam="avance-guest", ou="Guests", created="6/2/2025 4:41:57 PM"),
    person("diego", "2f86b389-9e5f-4096-bb3a-39166f6a250e", "diego.siciliani@contoso.com", "Diego Siciliani",
           "Diego", "Siciliani", "HR Manager", "Human Resources", enabled=False, roles=["User"],
           ou="Disabled Users", te=te("1204825")),
    person("pradeep", "8086cc37-aaad-49c9-a465-e4d56ea8ff41", "pradeep.gupta@contoso.com", "Pradeep Gupta",
           "Pradeep", "Gupta", "Accountant", "Finance", roles=["User"], te=te("1198042", "manual")),
    person("priya", "9b23921a-a793-4f3c-92c1-32f57014e99a", "priya.raman@contoso.com", "Priya Raman", None,
           "Raman", "Data Scientist", "Engineering", roles=["User"], sam="praman"),
    person("lukasz", "c2591711-fd76-4188-a6d3-0db5fcd8dda3", "lukasz.wojcik@contoso.com", "Łukasz Wójcik",
           "Łukasz", "Wójcik", "Financial Analyst", "Finance", site="WAW", roles=["User"], sam="lwojcik"),
    person("carlos", "43e0ac37-7e10-4945-92fc-4d6b16396695", "carlos.slattery@contoso.com", "Carlos Slattery",
           "Carlos", "Slattery", "Contract Developer", "Contractors", roles=["User"], ou="Contractors",
           te=te("1204827")),
    person("enrico", "1b880630-927f-4a2e-a2a8-e49ec628f0e5", "enrico.cattaneo@contoso.com", "Enrico Cattaneo",
           "Enrico", "Cattaneo", "Office Manager", "Facilities", site="MIL", roles=["DefaultAccess"]),
    person("johanna", "d57c045a-b32d-42c2-b269-b265e2444383", "johanna.lorenz@contoso.com", "Johanna Lorenz",
           "Johanna", "Lorenz", "Engineering Manager", "Engineering", site="BER", roles=["DefaultAccess", "User"],
           te=te("1204830")),
    person("irvin", "49f3737a-17e1-4ddc-84a6-e10354a6ec16", "irvin.sayers@contoso.com", "Irvin Sayers", "Irvin",
           "Sayers", "NOC Lead", "IT Operations", groups=[NETWORK_OPS], te=te("1204831")),
    person("lynne", "d2c9b75e-1dd5-4cfc-a63d-3cc14025a8a4", "lynne.robbins@contoso.com", "Lynne Robbins",
           "Lynne", "Robbins", "Network Analyst", "IT Operations", groups=[NETWORK_OPS]),
    person("miriam", "3c1f5ee9-eb9c-4194-8772-a8998002f3cf", "miriam.graham@contoso.com", "Miriam Graham",
           "Miriam", "Graham", "Network Engineer", "IT Operations", groups=[NETWORK_OPS], te=te("1204833")),
    person("henrietta", "fb51547f-82ec-4e81-a3ec-89b627d24e37", "henrietta.mueller@contoso.com",
           "Henrietta Mueller", "Henrietta", "Mueller", "NOC Technician", "IT Operations", site="BER",
           groups=[NIGHT_SHIFT]),
    person("raul", "a1fef314-b220-4a9e-95ac-4873cbdba021", "raul.razo@contoso.com", "Raul Razo", "Raul", "Razo",
           "NOC Technician", "IT Operations", groups=[NIGHT_SHIFT], te=te("1204835")),
    person("christie", "37eae167-b901-4c6c-929e-3f135fd453ee", "christie.cline@contoso.com", "Christie Cline",
           "Christie", "Cline", "Buyer", "Procurement"),
    person("brian", "146f742c-b7e2-4953-88b8-849bfea364f2", "brian.johnson@contoso.com", "Brian Johnson",
           "Brian", "Johnson", "Sales Manager", "Sales, EMEA", site="LON", roles=["User:deleted"],
           te=te("1204837")),
    person("nestor", "60772304-eb01-452d-bfd8-36dc8bbc80ac", "nestor.wilke@contoso.com", "Nestor Wilke",
           "Nestor", "Wilke", "Operations Director", "Operations", roles=["User"],
           te=te("1204839", "case-only", userName="Nestor.Wilke@contoso.com", email="Nestor.Wilke@contoso.com")),
    person("emily", "431bb9eb-d3f8-492a-a942-e8549a9967ab", "emily.braun@contoso.com", "Emily Braun", "Emily",
           "Braun", "Budget Analyst", "Finance", roles=["msiam_access"]),
    person("sanjay", "30de24df-a6ce-44ed-8fed-a4d6fcf425fe", "sanjay.patel@contoso.com", "Sanjay Patel",
           "Sanjay", "Patel", "Support Engineer", "Customer Support", site="LON", roles=["Viewer"]),
]

# Soft-deleted users (deleted-users.json only): not in users.*.
DELETED = [
    person("debra", "f1d99fff-43fd-4bcf-968f-352508ff7232", "debra.berger@contoso.com", "Debra Berger", "Debra",
           "Berger", "Administrative Assistant", "Operations", te=te("1204841")),
    person("allan", "e30aa60d-cd4f-419f-998e-d5df10538fdc", "allan.deyoung@contoso.com", "Allan Deyoung",
           "Allan", "Deyoung", "IT Admin", "IT Operations"),
]

def _fill_created_dates() -> None:
    """Directory creation dates, in the CSV's US format, spread deterministically over 2019-2024."""
    for n, p in enumerate(PEOPLE + DELETED):
        if p["created"] is None:
            month, day, year = n % 12 + 1, n * 7 % 28 + 1, 2019 + n % 6
            hour, minute, second = n * 5 % 12 + 1, n * 13 % 60, n * 29 % 60
            p["created"] = f"{month}/{day}/{year} {hour}:{minute:02d}:{second:02d} {'AM' if n % 2 else 'PM'}"


_fill_created_dates()
DELETED_AT = {"debra": "2026-11-20T14:03:27Z", "allan": "2026-11-24T09:51:02Z"}

# ThousandEyes users that match nobody in the directory.
TE_ONLY = [
    # orphan: managed (externalId is an Entra id) but the person was hard-deleted from the directory
    dict(te_id="1204843", externalId="2026cb74-0227-4de6-90a3-2a52ce74b7fc", userName="ben.walters@contoso.com",
         givenName="Ben", familyName="Walters", displayName="Ben Walters", active=True, kind="orphan",
         created="2025-01-20T10:15:02Z", modified="2025-01-20T10:15:02Z"),
    # orphan that was already deprovisioned earlier
    dict(te_id="1204808", externalId="db75b88f-770a-4b83-bd80-5ed70c398246", userName="vera.novak@contoso.com",
         givenName="Vera", familyName="Novak", displayName="Vera Novak", active=False, kind="inactive-orphan",
         created="2025-01-20T10:14:51Z", modified="2026-06-30T17:12:09Z"),
    # the account whose token teprov uses: created by hand, never provisioned, protected in config.yaml
    dict(te_id="1187003", externalId=None, userName="te-admin@contoso.com", givenName="ThousandEyes",
         familyName="Admin", displayName="ThousandEyes Admin", active=True, kind="unmanaged-admin",
         created="2023-09-01T10:00:00Z", modified="2026-02-11T08:47:33Z"),
]
PROTECTED_ADMIN = "te-admin@contoso.com"


# --- helpers --------------------------------------------------------------------------------------

def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def json_text(value) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def iso_from_us(us_date: str) -> str:
    """`3/14/2024 9:02:11 AM` → `2024-03-14T09:02:11Z` (the CSV's createdDateTime in ISO form)."""
    date, time, half = us_date.split(" ")
    month, day, year = (int(x) for x in date.split("/"))
    hour, minute, second = (int(x) for x in time.split(":"))
    hour = hour % 12 + (12 if half == "PM" else 0)
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def opaque_id(*parts: str) -> str:
    """A Graph appRoleAssignment id: 43 base64url characters, derived from its parts."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def dn(p) -> str:
    return f"CN={p['displayName']},OU={p['ou']},OU=Contoso,DC=contoso,DC=com"


PHONE_PREFIX = {"US": "+1 425 555 01", "FR": "+33 1 55 55 01", "IE": "+353 1 555 01", "PL": "+48 22 555 01",
                "DE": "+49 30 5555 01", "IT": "+39 02 5555 01", "GB": "+44 20 5555 01"}


def phone(p) -> str:
    return PHONE_PREFIX[SITES[p["site"]][0]] + f"{PEOPLE.index(p):02d}"


# --- 1. users.csv: Entra "Download users", header variant B (Graph names, 29 columns) -------------

CSV_HEADER = ("userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,accountEnabled,"
              "usageLocation,streetAddress,state,country,officeLocation,city,postalCode,telephoneNumber,mobilePhone,"
              "alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification,companyName,"
              "creationType,directorySynced,invitationState,identityIssuer,createdDateTime").split(",")


def csv_row(p) -> list[str]:
    usage, city, country, office, postal, state, street = SITES[p["site"]]
    guest = p["userType"] == "Guest"
    values = {
        "userPrincipalName": p["upn"], "displayName": p["displayName"], "surname": p["surname"],
        "mail": p["mail"], "givenName": p["givenName"], "id": p["id"], "userType": p["userType"],
        "jobTitle": p["jobTitle"], "department": p["department"],
        "accountEnabled": "True" if p["enabled"] else "False",
        "usageLocation": usage, "streetAddress": None if guest else street, "state": state, "country": country,
        "officeLocation": None if guest else office, "city": city, "postalCode": None if guest else postal,
        "telephoneNumber": None if guest else phone(p), "mobilePhone": None,
        "alternateEmailAddress": "adele.vance@fabrikam.com" if guest else None,
        "companyName": "Fabrikam" if guest else "Contoso Ltd.",
        "creationType": "Invitation" if guest else None,
        "directorySynced": None if guest else "True",
        "invitationState": "Accepted" if guest else None,
        "identityIssuer": TENANT, "createdDateTime": p["created"],
    }
    return [values.get(column) or "" for column in CSV_HEADER]


def make_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # QUOTE_MINIMAL: only "Sales, EMEA" gets quotes
    writer.writerow(CSV_HEADER)
    for p in PEOPLE:
        writer.writerow(csv_row(p))
    return out.getvalue().encode("utf-8-sig")


# --- 2. users.json: one Graph `GET /users?$select=...` page ----------------------------------------

GRAPH_SELECT = ("id,userPrincipalName,displayName,givenName,surname,mail,jobTitle,department,accountEnabled,"
                "userType,usageLocation,officeLocation,city,country,createdDateTime")


def graph_user(p) -> dict:
    usage, city, country, office, _, _, _ = SITES[p["site"]]
    guest = p["userType"] == "Guest"
    return {
        "id": p["id"], "userPrincipalName": p["upn"], "displayName": p["displayName"],
        "givenName": p["givenName"], "surname": p["surname"], "mail": p["mail"], "jobTitle": p["jobTitle"],
        "department": p["department"], "accountEnabled": p["enabled"], "userType": p["userType"],
        "usageLocation": usage, "officeLocation": None if guest else office, "city": city, "country": country,
        "createdDateTime": iso_from_us(p["created"]),
    }


def make_json() -> bytes:
    return json_text({
        "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#users({GRAPH_SELECT})",
        "value": [graph_user(p) for p in PEOPLE],
    })


# --- 3. users.dsml.xml: DSML v2 batchResponse from Active Directory (prefixed dsml:) ---------------

def make_dsml() -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<dsml:batchResponse xmlns:dsml="urn:oasis:names:tc:DSML:2:0:core"'
        ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        '  <dsml:searchResponse requestID="contoso-users">',
    ]
    for p in PEOPLE:
        guid = base64.b64encode(uuid.UUID(p["id"]).bytes_le).decode()
        lines.append(f"    <dsml:searchResultEntry dn={quoteattr(dn(p))}>")

        def attr(name, *values, binary=False):
            values = [v for v in values if v is not None]
            if not values:
                return  # AD does not return attributes without a value
            lines.append(f'      <dsml:attr name="{name}">')
            for value in values:
                kind = ' xsi:type="xsd:base64Binary"' if binary else ""
                lines.append(f"        <dsml:value{kind}>{escape(value)}</dsml:value>")
            lines.append("      </dsml:attr>")

        attr("objectClass", "top", "person", "organizationalPerson", "user")
        attr("cn", p["displayName"])
        attr("sn", p["surname"])
        attr("givenName", p["givenName"])
        attr("displayName", p["displayName"])
        attr("title", p["jobTitle"])
        attr("department", p["department"])
        attr("mail", p["mail"])
        attr("objectGUID", guid, binary=True)
        attr("sAMAccountName", p["sam"])
        attr("userPrincipalName", p["upn"])
        attr("userAccountControl", "512" if p["enabled"] else "514")
        lines.append("    </dsml:searchResultEntry>")
    lines += [
        "    <dsml:searchResultDone>",
        '      <dsml:resultCode code="0" descr="success"/>',
        "    </dsml:searchResultDone>",
        "  </dsml:searchResponse>",
        "</dsml:batchResponse>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- 4. users.clixml.xml: Get-ADUser ... | Export-Clixml (Windows PowerShell: UTF-16LE + BOM) ---

AD_USER_TYPES = [
    "Microsoft.ActiveDirectory.Management.ADUser",
    "Microsoft.ActiveDirectory.Management.ADAccount",
    "Microsoft.ActiveDirectory.Management.ADPrincipal",
    "Microsoft.ActiveDirectory.Management.ADObject",
    "Microsoft.ActiveDirectory.Management.ADEntity",
    "System.Object",
]


def make_clixml() -> bytes:
    lines = ['<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">']
    for index, p in enumerate(PEOPLE):
        lines.append(f'  <Obj RefId="{index}">')
        if index == 0:
            lines.append('    <TN RefId="0">')
            lines += [f"      <T>{t}</T>" for t in AD_USER_TYPES]
            lines.append("    </TN>")
        else:
            lines.append('    <TNRef RefId="0" />')
        lines.append(f"    <ToString>{escape(dn(p))}</ToString>")
        lines.append("    <Props>")

        def string(name, value):
            if value is None:
                lines.append(f'      <Nil N="{name}" />')
            else:
                lines.append(f'      <S N="{name}">{escape(value)}</S>')

        # Get-ADUser lists properties in alphabetical order.
        string("Department", p["department"])
        string("DisplayName", p["displayName"])
        string("DistinguishedName", dn(p))
        string("EmailAddress", p["mail"])
        lines.append(f'      <B N="Enabled">{"true" if p["enabled"] else "false"}</B>')
        string("GivenName", p["givenName"])
        string("Name", p["displayName"])
        string("ObjectClass", "user")
        lines.append(f'      <G N="ObjectGUID">{p["id"]}</G>')
        string("SamAccountName", p["sam"])
        string("Surname", p["surname"])
        string("Title", p["jobTitle"])
        string("UserPrincipalName", p["upn"])
        lines.append("    </Props>")
        lines.append("  </Obj>")
    lines.append("</Objs>")
    return "\ufeff".encode("utf-16-le") + "\r\n".join(lines).encode("utf-16-le")


# --- 5. app-roles.json: the app's servicePrincipal with its appRoles ------------------------------

def make_app_roles() -> bytes:
    def role(key, display, value, description, enabled=True):
        return {"allowedMemberTypes": ["User"], "description": description, "displayName": display,
                "id": ROLES[key], "isEnabled": enabled, "origin": "Application", "value": value}

    return json_text({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals"
                          "(id,appId,displayName,appRoles)/$entity",
        "id": SERVICE_PRINCIPAL_ID,
        "appId": APP_ID,
        "displayName": APP_NAME,
        "appRoles": [
            role("User", "User", "User", "ThousandEyes user"),
            role("Admin", "Admin", "Admin", "ThousandEyes organisation administrator"),
            role("Viewer", "Viewer (retired)", "Viewer", "Read-only access; retired in 2025", enabled=False),
            role("msiam_access", "msiam_access", None, "msiam_access"),
        ],
    })


# --- 6. assignments.json: GET /servicePrincipals/{id}/appRoleAssignedTo ---------------------------

def make_assignments() -> bytes:
    rows = []

    def add(principal_id, name, kind, role, created, deleted=None):
        rows.append({
            "id": opaque_id(principal_id, role),
            "deletedDateTime": deleted,
            "appRoleId": ROLES[role],
            "createdDateTime": created,
            "principalDisplayName": name,
            "principalId": principal_id,
            "principalType": kind,
            "resourceDisplayName": APP_NAME,
            "resourceId": SERVICE_PRINCIPAL_ID,
        })

    for n, p in enumerate(PEOPLE):
        for role in p["roles"]:
            created = f"2025-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}T09:{n:02d}:07.{1234567 + n * 7919:07d}Z"
            if role.endswith(":deleted"):
                add(p["id"], p["displayName"], "User", role.split(":")[0], created, deleted="2026-11-02T16:45:10Z")
            else:
                add(p["id"], p["displayName"], "User", role, created)
    add(NETWORK_OPS[0], NETWORK_OPS[1], "Group", "User", "2025-04-08T13:20:44.5510237Z")
    add(MONITORING_BOT[0], MONITORING_BOT[1], "ServicePrincipal", "User", "2025-05-19T07:02:31.0064411Z")
    return json_text({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals"
                          f"('{SERVICE_PRINCIPAL_ID}')/appRoleAssignedTo",
        "value": rows,
    })


# --- 7. group-members.csv: direct members of each group -------------------------------------------

def make_group_members() -> bytes:
    lines = ["groupId,memberId,memberType"]
    for group in (NETWORK_OPS, NIGHT_SHIFT):
        for p in PEOPLE:
            if group in p["groups"]:
                lines.append(f"{group[0]},{p['id']},User")
        if group == NETWORK_OPS:
            lines.append(f"{NETWORK_OPS[0]},{NIGHT_SHIFT[0]},Group")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- 8. deleted-users.json: GET /directory/deletedItems/microsoft.graph.user ----------------------

def make_deleted() -> bytes:
    values = []
    for p in DELETED:
        values.append({
            "id": p["id"],
            # Entra prefixes a soft-deleted user's UPN with its object id (no hyphens).
            "userPrincipalName": p["id"].replace("-", "") + p["upn"],
            "displayName": p["displayName"], "givenName": p["givenName"], "surname": p["surname"],
            "mail": p["mail"], "jobTitle": p["jobTitle"], "department": p["department"],
            "accountEnabled": p["enabled"], "userType": p["userType"],
            "deletedDateTime": DELETED_AT[p["key"]],
        })
    return json_text({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directory/deletedItems/microsoft.graph.user"
                          "(id,userPrincipalName,displayName,givenName,surname,mail,jobTitle,department,"
                          "accountEnabled,userType,deletedDateTime)",
        "value": values,
    })


# --- 9. snapshot.json: the ThousandEyes users (teprov snapshot format) ----------------------------

def guest_user_name(upn: str) -> str:
    """`alias_domain#EXT#@tenant` → `alias@domain` (split at the last `_` before `#EXT#`)."""
    if "#EXT#" not in upn:
        return upn
    local = upn.split("#EXT#")[0]
    alias, _, domain = local.rpartition("_")
    return f"{alias}@{domain}"


def scim_user(te_id, external_id, user_name, given, family, formatted, display, email, active, created, modified):
    user = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": te_id}
    if external_id is not None:
        user["externalId"] = external_id
    user["userName"] = user_name
    name = {}
    if given is not None:
        name["givenName"] = given
    if family is not None:
        name["familyName"] = family
    name["formatted"] = formatted
    user["name"] = name
    user["displayName"] = display
    user["emails"] = [{"value": email, "type": "work", "primary": True}]
    user["active"] = active
    user["meta"] = {"resourceType": "User", "created": created, "lastModified": modified,
                    "location": f"{TE_SCIM}/Users/{te_id}"}
    return user


def make_snapshot() -> bytes:
    users = []
    for p in PEOPLE + DELETED:
        entry = p["te"]
        if entry is None:
            continue
        o = entry["overrides"]
        formatted = " ".join(x for x in (p["givenName"], p["surname"]) if x)
        # Managed users were created by the first provisioning run (ids 12048xx, January 2025); the
        # hand-made account is older. Hand edits and renames show a later lastModified.
        if entry["kind"] == "manual":
            created = "2024-11-05T08:30:12Z"
        else:
            created = f"2025-01-20T10:15:{int(entry['te_id']) % 60:02d}Z"
        modified = {"drift-displayName": "2026-10-07T11:26:40Z", "drift-email": "2026-09-14T15:02:18Z",
                    "drift-name": "2026-08-03T09:44:51Z", "renamed": created}.get(entry["kind"], created)
        users.append(scim_user(
            entry["te_id"],
            None if entry["kind"] == "manual" else p["id"],
            o.get("userName", guest_user_name(p["upn"])),
            p["givenName"], o.get("familyName", p["surname"]), o.get("formatted", formatted),
            o.get("displayName", p["displayName"]), o.get("email", p["mail"]),
            True, created, modified))
    for t in TE_ONLY:
        users.append(scim_user(
            t["te_id"], t["externalId"], t["userName"], t["givenName"], t["familyName"],
            f"{t['givenName']} {t['familyName']}", t["displayName"], t["userName"], t["active"],
            t["created"], t["modified"]))
    users.sort(key=lambda u: int(u["id"]))
    return json_text({
        "formatVersion": 1,
        "capturedAt": CAPTURED_AT,
        "source": TE_SCIM,
        "complete": True,
        "totalResults": len(users),
        "users": users,
    })


# --- 10. config.yaml ------------------------------------------------------------------------------

CONFIG = f"""\
# teprov configuration for the Contoso samples (SPEC §5). Every key is spelled out, with its default
# unless a comment says otherwise.
scope: assigned                 # only users (and direct members of groups) assigned to the app
skipDefaultAccess: true         # the ThousandEyes tutorial: Default Access does not provision

# One filter (a list of clauses that must all hold). Contractors stay out of ThousandEyes, and so do
# service or test accounts. Only attributes every sample export carries are used, so the plan is the
# same whichever of the four users.* files is read (userType, for example, is not in AD exports).
scopingFilters:
  - - attribute: department
      operator: NOT EQUALS
      value: Contractors
    - attribute: userPrincipalName
      operator: NOT REGEX MATCH
      value: '^(svc|test)[._-]'

# The default table of SPEC §4, except that displayName falls back to the person's name.
mappings:
  - target: externalId
    source: '[id]'
    matchingPrecedence: 1
  - target: userName
    source: '[userPrincipalName]'
    matchingPrecedence: 2
  - target: active
    source: 'Not([IsSoftDeleted])'
  - target: displayName
    source: 'Coalesce([displayName], Join(" ", [givenName], [surname]))'
  - target: 'emails[type eq "work"].value'
    source: '[mail]'
  - target: name.formatted
    source: 'Join(" ", [givenName], [surname])'

actions: {{create: true, update: true, disable: true, delete: true}}

deprovision:
  outOfScope: disable           # disable | delete | none
  softDeleted: disable          # disable | none
  hardDeleted: delete           # delete | disable | none

compare:
  ignore: []

ownership:
  externalIdPattern: '^[0-9a-fA-F]{{8}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{4}}-[0-9a-fA-F]{{12}}$'

target:
  patchStyle: rfc
  updateMethod: patch

safety:
  deletionThreshold: 500
  deletionThresholdPercent: 20
  maxInvalidRecords: 100
  maxInvalidPercent: 5
  protectedUsers:
    - {PROTECTED_ADMIN}         # the account whose token teprov uses
"""


def check_consistency() -> None:
    for p in PEOPLE + DELETED:
        for key in ("displayName", "givenName", "surname", "jobTitle", "department"):
            assert p[key] == nfc(p[key]), f"{p['key']}.{key} is not NFC"
        assert p["id"] == p["id"].lower()
    ids = [p["id"] for p in PEOPLE + DELETED]
    assert len(set(ids)) == len(ids), "duplicate ids"
    te_ids = [p["te"]["te_id"] for p in PEOPLE + DELETED if p["te"]] + [t["te_id"] for t in TE_ONLY]
    assert len(set(te_ids)) == len(te_ids), "duplicate ThousandEyes ids"
    assert len(CSV_HEADER) == 29


COMPARED = ("id", "userPrincipalName", "displayName", "givenName", "surname", "mail", "jobTitle", "department",
            "accountEnabled")


def read_back() -> dict[str, list[dict]]:
    """Parses the four written exports independently, into the compared attributes per person."""
    import xml.etree.ElementTree as ET

    result = {}
    text = (HERE / "users.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    result["csv"] = [{k: (r[k] or None) if k != "accountEnabled" else r[k] == "True" for k in COMPARED}
                     for r in rows]
    page = json.loads((HERE / "users.json").read_text("utf-8"))
    result["json"] = [{k: u[k] for k in COMPARED} for u in page["value"]]

    ns = {"d": "urn:oasis:names:tc:DSML:2:0:core"}
    dsml = []
    for entry in ET.parse(HERE / "users.dsml.xml").getroot().iterfind(".//d:searchResultEntry", ns):
        attrs = {a.get("name"): [v.text for v in a.iterfind("d:value", ns)] for a in entry.iterfind("d:attr", ns)}
        one = lambda name: attrs.get(name, [None])[0]
        dsml.append({"id": str(uuid.UUID(bytes_le=base64.b64decode(one("objectGUID")))),
                     "userPrincipalName": one("userPrincipalName"), "displayName": one("displayName"),
                     "givenName": one("givenName"), "surname": one("sn"), "mail": one("mail"),
                     "jobTitle": one("title"), "department": one("department"),
                     "accountEnabled": int(one("userAccountControl")) & 2 == 0})
    result["dsml"] = dsml

    ps = "{http://schemas.microsoft.com/powershell/2004/04}"
    root = ET.fromstring((HERE / "users.clixml.xml").read_bytes().decode("utf-16"))
    clixml = []
    for obj in root.iterfind(f"{ps}Obj"):
        props = {e.get("N"): (None if e.tag == f"{ps}Nil" else e.text) for e in obj.find(f"{ps}Props")}
        clixml.append({"id": props["ObjectGUID"], "userPrincipalName": props["UserPrincipalName"],
                       "displayName": props["DisplayName"], "givenName": props["GivenName"],
                       "surname": props["Surname"], "mail": props["EmailAddress"], "jobTitle": props["Title"],
                       "department": props["Department"], "accountEnabled": props["Enabled"] == "true"})
    result["clixml"] = clixml
    return result


def verify() -> None:
    expected = [{"id": p["id"], "userPrincipalName": p["upn"], "displayName": p["displayName"],
                 "givenName": p["givenName"], "surname": p["surname"], "mail": p["mail"],
                 "jobTitle": p["jobTitle"], "department": p["department"], "accountEnabled": p["enabled"]}
                for p in PEOPLE]
    for name, records in read_back().items():
        assert records == expected, f"users.{name} differs from the table"


def main() -> None:
    check_consistency()
    write("users.csv", make_csv())
    write("users.json", make_json())
    write("users.dsml.xml", make_dsml())
    write("users.clixml.xml", make_clixml())
    write("app-roles.json", make_app_roles())
    write("assignments.json", make_assignments())
    write("group-members.csv", make_group_members())
    write("deleted-users.json", make_deleted())
    write("snapshot.json", make_snapshot())
    write("config.yaml", CONFIG.encode("utf-8"))
    verify()
    print(f"samples: wrote 10 files for {len(PEOPLE)} people; the four exports read back identically")


if __name__ == "__main__":
    main()
