"""BPS statistical metadata (Peraturan BPS 5/2020): the activity (MS-Keg), variable (MS-Var)
and indicator (MS-Ind) metadata of a statistical dataset, prefilled from what the portal already
knows, reviewed by the walidata with the dataset, exported as XLSX and JSON."""
