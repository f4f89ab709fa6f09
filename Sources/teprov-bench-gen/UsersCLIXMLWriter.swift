/// `users.clixml.xml`: `Get-ADUser ... | Export-Clixml` output. Windows PowerShell writes UTF-16LE;
/// this file is UTF-8 (as PowerShell 7 writes it) so that generating and reading stay fast.
/// The first object carries the type names (`TN`), the others refer to them (`TNRef`).
enum UsersCLIXMLWriter {
    static func write(_ population: Population, to file: inout OutputFile) {
        file.write("<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n")
        for index in 0..<population.users {
            let user = population.user(index)
            file.write("  <Obj RefId=\"")
            file.write(decimal: index)
            if index == 0 {
                file.write(
                    """
                    ">
                        <TN RefId="0">
                          <T>Microsoft.ActiveDirectory.Management.ADUser</T>
                          <T>Microsoft.ActiveDirectory.Management.ADAccount</T>
                          <T>Microsoft.ActiveDirectory.Management.ADPrincipal</T>
                          <T>Microsoft.ActiveDirectory.Management.ADObject</T>
                          <T>Microsoft.ActiveDirectory.Management.ADEntity</T>
                          <T>System.Object</T>
                        </TN>
                        <ToString>CN=
                    """)
            } else {
                file.write("\">\n    <TNRef RefId=\"0\" />\n    <ToString>CN=")
            }
            file.writeDisplayName(user)
            file.write(user.guest ? ",OU=Guests" : ",OU=Staff")
            file.write(",OU=Contoso,DC=contoso,DC=com</ToString>\n    <Props>\n      <S N=\"Department\">")
            file.write(xmlText: user.department)
            file.write("</S>\n      <S N=\"DisplayName\">")
            file.writeDisplayName(user)
            file.write("</S>\n      <S N=\"DistinguishedName\">CN=")
            file.writeDisplayName(user)
            file.write(user.guest ? ",OU=Guests" : ",OU=Staff")
            file.write(",OU=Contoso,DC=contoso,DC=com</S>\n")
            if user.guest {
                file.write("      <Nil N=\"EmailAddress\" />\n")
            } else {
                file.write("      <S N=\"EmailAddress\">")
                file.writeUserPrincipalName(user)
                file.write("</S>\n")
            }
            file.write(user.enabled ? "      <B N=\"Enabled\">true</B>\n" : "      <B N=\"Enabled\">false</B>\n")
            file.write("      <S N=\"GivenName\">")
            file.write(user.given.display)
            file.write("</S>\n      <S N=\"Name\">")
            file.writeDisplayName(user)
            file.write("</S>\n      <S N=\"ObjectClass\">user</S>\n      <G N=\"ObjectGUID\">")
            file.write(guid: user.id)
            file.write("</G>\n      <S N=\"SamAccountName\">u")
            file.write(decimal: user.index, width: 8)
            file.write("</S>\n      <S N=\"Surname\">")
            file.write(user.surname.display)
            file.write("</S>\n      <S N=\"Title\">")
            file.write(user.jobTitle)
            file.write("</S>\n      <S N=\"UserPrincipalName\">")
            file.writeUserPrincipalName(user)
            file.write("</S>\n    </Props>\n  </Obj>\n")
        }
        file.write("</Objs>\n")
    }
}
