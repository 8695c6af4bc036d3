import Foundation
import GraceCore

/// The recognition model Grace ships, trained on the `train` split of `Tests/Corpus/failures`
/// by `scripts/train-recognition-model.sh` (which rewrites this file). Kept as text in the
/// binary, like the built-in knowledge base, so a copied `grace` binary still has it.
enum BuiltInRecognitionModel {
    static let text = #"""
    grace-recognition-model	1
    trained_on	Tests/Corpus/failures (train, 173 logs)
    classes	unicode_logging_crash	verification_events_schema_mismatch	playbook_missing_risk_fields	circular_import_avn_models	database_locked	trigger_mesh_unawaited	missing_env_secrets	none
    documents	18	16	13	13	13	9	14	80
    bias	-853	-292	158	-43	-499	-386	401	1514
    00s	-9	-27	-46	-9	-10	44	-25	82
    00s00	-17	211	-42	-21	-19	-17	-30	-66
    00s00 column	-17	211	-42	-21	-19	-17	-30	-66
    0x00	-52	-8	-7	-7	-6	-5	-8	91
    0x00 in	-52	-8	-7	-7	-6	-5	-8	91
    0x00000000	-6	-9	-10	-7	63	-7	-8	-17
    0x0d	-116	-15	-13	-13	-11	-11	-14	192
    0x0d in	-116	-15	-13	-13	-11	-11	-14	192
    __del__	-9	-6	-3	-3	-9	-3	-7	39
    __del__ at	-9	-6	-3	-3	-9	-3	-7	39
    __del__ self	-9	-6	-3	-3	-9	-3	-7	39
    __getitem__	-33	-20	-13	-10	-18	-12	173	-67
    __init__	-31	-41	-8	8	-52	-32	75	82
    __init__ py	-29	-21	-12	21	-20	-15	-22	98
    __init__ raise	-8	-5	-4	-4	-6	-5	83	-52
    __init__ self	-2	-14	10	-7	-25	-10	18	31
    __pydantic_validator__	-6	-6	15	-4	-8	-4	39	-25
    __pydantic_validator__ validate_python	-6	-6	15	-4	-8	-4	39	-25
    _bootstrap	45	-1	-1	-1	-2	-1	-2	-37
    _bootstrap_inner	45	-1	-1	-1	-2	-1	-2	-37
    _call_connection_lost	-9	-6	-3	-3	-9	-3	-7	39
    _call_connection_lost none	-9	-6	-3	-3	-9	-3	-7	39
    _check_closed	-9	-6	-3	-3	-9	-3	-7	39
    _check_closed file	-9	-6	-3	-3	-9	-3	-7	39
    _check_closed raise	-6	-4	-2	-2	-6	-2	-4	26
    _client	-8	-5	-4	-4	-6	-5	83	-52
    _client py	-8	-5	-4	-4	-6	-5	83	-52
    _loop	-9	-6	-3	-3	-9	-3	-7	39
    _loop call_soon	-9	-6	-3	-3	-9	-3	-7	39
    _proactorbasepipetransport	-9	-6	-3	-3	-9	-3	-7	39
    _proactorbasepipetransport __del__	-9	-6	-3	-3	-9	-3	-7	39
    _pydantic_core	-10	-10	97	-8	-12	-8	-16	-34
    _pydantic_core validationerror	-10	-10	97	-8	-12	-8	-16	-34
    above	36	73	-5	-4	-17	-10	-10	-65
    above exception	36	73	-5	-4	-17	-10	-10	-65
    access	-53	-73	-78	491	-70	-65	-85	-66
    access the	-10	-13	-10	-19	-18	-11	-17	98
    account	-17	-21	-23	-19	-16	-15	-65	176
    account api	-17	-21	-23	-19	-16	-15	-65	176
    add	85	-23	156	-21	-13	-14	-18	-152
    again	-11	-19	-15	-13	-34	-12	-25	128
    all	156	-6	-4	-4	-4	-3	-7	-128
    all processes	156	-6	-4	-4	-4	-3	-7	-128
    allowed	-197	-93	-84	395	-61	-62	-85	186
    allowed package	-38	-71	-68	323	-47	-49	-66	16
    an	-39	-83	-64	-51	73	-48	269	-55
    an async	-4	-10	-8	-6	-7	-7	-15	57
    anaconda0	17	74	-5	-4	-16	-9	-10	-47
    anaconda0 envs	17	74	-5	-4	-16	-9	-10	-47
    and	-4	-6	-4	-4	-5	-4	-5	30
    and remove	-4	-6	-4	-4	-5	-4	-5	30
    another	28	-17	-14	-22	-21	-14	-23	83
    another process	-10	-13	-10	-19	-18	-11	-17	98
    api	-44	-73	-24	-55	-56	-47	326	-27
    api key	-39	-63	-63	-50	-50	-42	335	-29
    api keys	-19	-24	-25	-20	-19	-17	11	112
    api_hash	-6	-6	15	-4	-8	-4	39	-25
    api_hash field	-6	-6	15	-4	-8	-4	39	-25
    api_id	-6	-6	15	-4	-8	-4	39	-25
    api_id field	-6	-6	15	-4	-8	-4	39	-25
    api_key	-26	-31	-25	-19	-29	-24	377	-224
    api_key client	-12	-10	-10	-9	-9	-11	128	-66
    api_key to	-12	-10	-10	-9	-9	-11	128	-66
    app	-54	-26	-24	33	-54	43	-36	117
    appdata	-8	-31	-3	-28	16	-21	81	-5
    appdata local	-8	-31	-3	-28	16	-21	81	-5
    apply	27	-47	78	-23	-21	-17	-65	68
    apps	-5	-7	40	-5	-5	-5	-11	-3
    are	-31	-26	-23	-20	-18	-17	-29	163
    are deprecated	-5	-12	-7	-6	-7	-6	-9	53
    are not	-5	-12	-7	-6	-7	-6	-9	53
    are on	-6	-8	-11	-9	-6	-7	-12	58
    args	193	-3	-2	-2	-3	-2	-3	-178
    as	-8	-6	-3	-3	-7	-4	-7	36
    ascii	205	-7	-4	-4	-8	-4	-6	-172
    ascii codec	205	-7	-4	-4	-8	-4	-6	-172
    async	-7	49	-12	-9	-12	-10	-20	21
    async function	-4	-10	-8	-6	-7	-7	-15	57
    asyncio	-19	-13	-6	-5	-15	-8	-12	78
    asyncio base_events	-9	-6	-3	-3	-9	-3	-7	39
    asyncio proactor_events	-9	-6	-3	-3	-9	-3	-7	39
    at	-117	57	294	-122	-78	-114	-139	219
    at https	-17	-21	-23	-19	-16	-15	-65	176
    at line	-32	-174	408	-38	-41	-35	-81	-8
    at microsoft	-5	-7	-7	-5	55	-5	-6	-21
    at org	-18	86	-33	-22	-23	-19	-8	37
    atomic	-6	-10	-10	-93	-7	-7	-10	144
    atomic imports	-6	-10	-10	-93	-7	-7	-10	144
    attempt	-31	-44	-46	-31	-62	-24	-36	276
    attempt to	-31	-44	-46	-31	-62	-24	-36	276
    authenticationerror	-13	-16	-18	-14	-14	-12	28	58
    authenticationerror incorrect	-8	-10	-12	-10	-8	-8	-39	95
    awaited	-48	-70	-68	-67	-65	567	-80	-169
    backtrace	-9	-13	-16	-12	-10	-13	-20	93
    bar	-14	-26	-27	223	-19	69	-26	-182
    base	-13	48	-15	-14	-18	76	30	-94
    base_events	-9	-6	-3	-3	-9	-3	-7	39
    base_events py	-9	-6	-3	-3	-9	-3	-7	39
    be	-64	-81	56	-79	-66	93	22	118
    be set	-12	-10	-10	-9	-9	-11	128	-66
    be used	-12	-15	-16	-15	-14	156	-21	-63
    because	-10	-13	-10	-19	-18	-11	-17	98
    because it	-10	-13	-10	-19	-18	-11	-17	98
    before	-44	-60	-68	510	-52	-55	-68	-164
    before initialization	-44	-60	-68	510	-52	-55	-68	-164
    behavior	-15	182	-6	-4	13	-4	-8	-158
    being	-10	-13	-10	-19	-18	-11	-17	98
    being used	-10	-13	-10	-19	-18	-11	-17	98
    bin	58	-73	-28	-24	-52	-21	150	-10
    blah	-24	-8	-7	-8	-9	57	-10	8
    block	-4	-10	-8	-6	-7	-7	-15	57
    block or	-4	-10	-8	-6	-7	-7	-15	57
    bot	28	-24	21	-13	-23	-15	162	-136
    build	-16	-26	-26	13	-21	61	-27	42
    but	-12	-33	-18	-16	79	-16	-39	55
    but in	-3	-7	-3	-3	-4	-5	-8	33
    but your	-3	-7	-3	-3	-4	-5	-8	33
    by	-65	-109	-114	-78	-77	97	168	178
    by another	-10	-13	-10	-19	-18	-11	-17	98
    by default	-15	-22	-20	-19	-17	151	-28	-30
    by passing	-12	-10	-10	-9	-9	-11	128	-66
    by rejecting	-4	-10	-8	-6	-7	-7	-15	57
    by setting	-13	-12	-12	-10	-11	-14	123	-53
    by throwing	-4	-10	-8	-6	-7	-7	-15	57
    byte	-192	-25	-21	-22	-19	-18	-25	321
    byte 0x00	-52	-8	-7	-7	-6	-5	-8	91
    byte 0x0d	-116	-15	-13	-13	-11	-11	-14	192
    bytealg	-6	-10	-11	-51	-7	-7	-9	100
    bytealg imports	-6	-10	-11	-51	-7	-7	-9	100
    bytes	-7	-13	-13	-58	-9	-9	-12	121
    bytes imports	-7	-13	-13	-58	-9	-9	-12	121
    cache	-20	-19	-13	-13	-19	50	-22	55
    cache system	-3	-7	-3	-3	-4	-5	-8	33
    caching	-3	-7	-3	-3	-4	-5	-8	33
    caching files	-3	-7	-3	-3	-4	-5	-8	33
    call	151	-25	-69	-99	7	-66	-89	189
    call last	151	-25	-69	-99	7	-66	-89	189
    call stack	45	-1	-1	-1	-2	-1	-2	-37
    call_soon	-9	-6	-3	-3	-9	-3	-7	39
    call_soon self	-9	-6	-3	-3	-9	-3	-7	39
    can	306	-155	-121	77	-111	-97	-136	237
    can decode	-192	-25	-21	-22	-19	-18	-25	321
    can encode	532	-78	-55	-57	-58	-47	-85	-152
    can find	-17	-21	-23	-19	-16	-15	-65	176
    can load	-10	-14	-13	182	-10	-10	-13	-112
    cannot	-106	-124	-116	696	-111	-99	-142	1
    cannot access	-53	-73	-78	491	-70	-65	-85	-66
    cannot import	-49	-38	-33	210	-36	-30	-38	13
    catch	-4	-10	-8	-6	-7	-7	-15	57
    catch block	-4	-10	-8	-6	-7	-7	-15	57
    caught	-22	-19	-8	-6	85	-5	-12	-13
    cause	-17	56	-23	137	-30	-24	-28	-70
    caused	-22	-52	-63	-23	-22	-22	105	99
    caused by	-22	-52	-63	-23	-22	-22	105	99
    cc	-6	-8	-11	-9	-6	-7	-12	58
    cc onednn	-6	-8	-11	-9	-6	-7	-12	58
    character	291	-36	-73	-76	-70	-60	-93	118
    character maps	213	-38	-33	-33	-31	-28	-39	-13
    character u0000	82	-24	-17	-17	-15	-13	-20	24
    character u0000f000	110	-9	-8	-7	-7	-7	-12	-61
    characters	124	-27	-16	-18	-20	-15	-34	7
    characters in	173	-18	-11	-9	-15	-10	-26	-85
    charmap	213	-38	-33	-33	-31	-28	-39	-13
    charmap codec	213	-38	-33	-33	-31	-28	-39	-13
    charmap_decode	-44	-3	-3	-3	-3	-2	-3	61
    charmap_decode input	-44	-3	-3	-3	-3	-2	-3	61
    charmap_encode	170	-6	-5	-5	-6	-5	-7	-137
    charmap_encode input	170	-6	-5	-5	-6	-5	-7	-137
    chat	-10	89	-20	-145	-15	-14	-15	129
    choose	-9	-15	162	-11	-11	-8	-20	-89
    choose to	-9	-15	162	-11	-11	-8	-20	-89
    circular	-33	-39	-44	393	-34	-36	-41	-167
    circular import	-20	-21	-25	253	-19	-20	-22	-126
    client	-57	31	101	-23	-27	-25	91	-91
    client option	-12	-10	-10	-9	-9	-11	128	-66
    client or	-12	-10	-10	-9	-9	-11	128	-66
    close	-9	-6	-3	-3	-9	-3	-7	39
    close file	-9	-6	-3	-3	-9	-3	-7	39
    close self	-9	-6	-3	-3	-9	-3	-7	39
    closed	-9	-6	-3	-3	-9	-3	-7	39
    closed exception	-6	-4	-2	-2	-6	-2	-4	26
    closed runtimeerror	-6	-4	-2	-2	-6	-2	-4	26
    cmd	-12	-19	-18	196	20	-13	-17	-138
    code	-51	91	-82	-56	5	-51	-28	172
    code error	-8	-11	-11	-9	-8	-8	-26	81
    code git	-4	-6	-4	-4	-5	-4	-5	30
    code p0000	-6	112	-9	-6	-10	-6	-10	-65
    codec	340	-103	-76	-78	-77	-64	-110	169
    codec can	340	-103	-76	-78	-77	-64	-110	169
    codecs	42	-12	-10	-10	-12	-9	-14	24
    codecs charmap_decode	-44	-3	-3	-3	-3	-2	-3	61
    codecs charmap_encode	170	-6	-5	-5	-6	-5	-7	-137
    column	-137	1505	181	-165	-191	-143	-307	-744
    column not	-17	211	-42	-21	-19	-17	-30	-66
    com	-13	-36	-86	202	-64	-62	-71	130
    com account	-17	-21	-23	-19	-16	-15	-65	176
    commandbehavior	-5	-8	-7	-5	55	-5	-7	-19
    commit	-12	-10	-7	-6	105	-7	-13	-49
    computation	-6	-8	-11	-9	-6	-7	-12	58
    computation orders	-6	-8	-11	-9	-6	-7	-12	58
    con	55	-5	-3	-3	-8	-2	-4	-30
    config	-21	-46	-18	-15	-20	-17	-53	189
    configuration	-14	-42	-41	-15	-14	-11	-48	184
    conn	-90	75	-23	-17	122	-16	-32	-17
    conn execute	-9	-21	-9	-6	135	-7	-23	-61
    connection	-17	74	-31	-26	-28	98	-39	-30
    connection py	-3	-10	-5	-4	-8	-5	-18	53
    constraint	-28	-75	494	-58	-47	-38	-57	-192
    constraint failed	-28	-75	494	-58	-47	-38	-57	-192
    content	-48	-20	-14	-10	-18	-12	172	-51
    continue	-7	-9	-7	-6	-7	-6	-10	50
    core	-44	77	-40	-32	43	-25	216	-196
    core util	-6	-8	-11	-9	-6	-7	-12	58
    coroutine	-48	-70	-68	-67	-65	567	-80	-169
    could	-40	-104	-64	-58	-49	-45	414	-54
    could not	-36	-91	-59	-52	-45	-42	433	-109
    cp0000	162	-7	-6	-6	-7	-6	-8	-123
    cp0000 py	162	-7	-6	-6	-7	-6	-8	-123
    cpu	-8	-12	-13	-53	-10	-9	-12	116
    cpu imports	-6	-10	-11	-51	-7	-7	-9	100
    crashed	-7	-9	-7	-6	-7	-6	-10	50
    crashed in	-7	-9	-7	-6	-7	-6	-10	50
    create	-15	-28	154	-22	-16	-17	-23	-33
    create home	-4	-6	-4	-4	-5	-4	-5	30
    crypto	-7	-13	-11	-157	-8	-9	-11	217
    current	-11	187	-15	-12	-17	-11	-17	-103
    current database	-11	187	-15	-12	-17	-11	-17	-103
    currently	-4	-6	-4	-4	-5	-4	-5	30
    currently running	-4	-6	-4	-4	-5	-4	-5	30
    cursor	-19	10	-18	-15	53	-19	-25	32
    cursor execute	-13	26	-7	-5	-29	-11	-16	55
    custom	-16	-43	-50	-23	-18	-16	-57	223
    custom operations	-6	-8	-11	-9	-6	-7	-12	58
    cycle	-43	-78	-75	408	-52	-54	-72	-34
    cycle not	-43	-78	-75	408	-52	-54	-72	-34
    data	-102	-69	138	0	153	-48	-42	-31
    data file	-45	-10	-5	-4	-18	-7	-22	111
    data self_instance	-6	-6	15	-4	-8	-4	39	-25
    data sqlite	-14	-28	-22	-16	207	-16	-23	-88
    database	-88	-42	-201	-155	733	-138	-227	118
    database disk	-29	-48	-46	-37	-105	-33	-56	353
    database is	-69	-117	-90	-71	941	-67	-110	-417
    db	-17	-69	-41	-39	167	-32	-61	92
    db at	-5	-7	-7	-5	55	-5	-6	-21
    db error	-12	4	-7	-5	-18	-5	-12	55
    db py	-12	-55	-6	-4	35	-5	-20	67
    decode	-192	-25	-21	-22	-19	-18	-25	321
    decode byte	-192	-25	-21	-22	-19	-18	-25	321
    decode return	-44	-3	-3	-3	-3	-2	-3	61
    decoding_table	-44	-3	-3	-3	-3	-2	-3	61
    decoding_table unicodedecodeerror	-44	-3	-3	-3	-3	-2	-3	61
    default	-36	28	-44	-50	-55	125	-76	108
    default to	-3	-7	-3	-3	-4	-5	-8	33
    defined	-24	-18	-6	-5	-19	-7	-12	92
    degraded	-3	-7	-3	-3	-4	-5	-8	33
    degraded version	-3	-7	-3	-3	-4	-5	-8	33
    dep0000	-3	-9	-5	-4	-5	-4	-6	36
    dep0000 deprecationwarning	-3	-9	-5	-4	-5	-4	-6	36
    deprecated	-5	-12	-7	-6	-7	-6	-9	53
    deprecated in	-5	-12	-7	-6	-7	-6	-9	53
    deprecationwarning	-5	-12	-7	-6	-7	-6	-9	53
    deprecationwarning unhandled	-5	-12	-7	-6	-7	-6	-9	53
    description	-13	38	147	-23	-14	-16	-21	-99
    desktop	-25	172	30	-8	-21	-7	-18	-122
    details	-3	-4	-3	-2	-4	-4	71	-50
    dev	-25	-44	29	-24	-29	-25	84	34
    dev missing	-20	-23	70	-20	-24	-20	102	-67
    dict	-20	-23	70	-20	-24	-20	102	-67
    dict for	-20	-23	70	-20	-24	-20	102	-67
    different	-6	-8	-11	-9	-6	-7	-12	58
    different computation	-6	-8	-11	-9	-6	-7	-12	58
    different numerical	-6	-8	-11	-9	-6	-7	-12	58
    disk	-32	-54	-49	-40	-109	-38	-64	386
    disk image	-29	-48	-46	-37	-105	-33	-56	353
    dispatch	-19	-24	-4	-4	89	-5	-11	-22
    display	-9	-13	-16	-12	-10	-13	-20	93
    display backtrace	-9	-13	-16	-12	-10	-13	-20	93
    dist	37	50	-8	-7	63	-7	-12	-115
    dist packages	40	-9	-4	-4	67	-4	-7	-79
    do	-24	-35	-39	-33	-29	142	-46	65
    do nothing	-12	-15	-16	-15	-14	156	-21	-63
    docker	280	-5	-3	-3	-4	-2	-4	-260
    docs	-8	-12	-9	-8	-10	80	-17	-16
    docs https	-7	-10	-8	-7	-9	82	-12	-29
    docs pytest	-7	-10	-8	-7	-9	82	-12	-29
    does	-74	622	-162	-110	-95	-83	-161	62
    does not	-74	622	-162	-110	-95	-83	-161	62
    due	-26	-29	-35	244	-26	-27	-34	-67
    due to	-26	-29	-35	244	-26	-27	-34	-67
    dump	24	-8	-3	-2	-7	-6	-6	9
    duplicated	-3	-7	-3	-3	-4	-5	-8	33
    duplicated files	-3	-7	-3	-3	-4	-5	-8	33
    earlier	-7	-9	-7	-6	-7	-6	-10	50
    earlier make	-4	-6	-4	-4	-5	-4	-5	30
    easy	40	-5	-7	-6	-5	-5	-11	-2
    efficiently	-3	-7	-3	-3	-4	-5	-8	33
    efficiently store	-3	-7	-3	-3	-4	-5	-8	33
    egg	107	-25	-7	46	-28	-9	-13	-71
    either	-17	-22	-19	-16	-18	-21	108	4
    either by	-16	-20	-18	-15	-17	-18	113	-9
    emit	116	-3	-3	-2	-3	-2	-3	-99
    emit file	75	-2	-1	-1	-2	-1	-2	-66
    emit stream	41	-1	-1	-1	-1	-1	-1	-34
    en	-8	-12	-9	-8	-10	80	-17	-16
    enable	-6	-23	-43	-5	-6	-8	-23	114
    encode	501	-86	-59	-60	-74	-52	-105	-66
    encode character	359	-60	-45	-48	-43	-37	-59	-67
    encode characters	173	-18	-11	-9	-15	-10	-26	-85
    encode return	170	-6	-5	-5	-6	-5	-7	-137
    encode unicodeencodeerror	27	-4	-2	-3	-4	-2	-4	-8
    encoding	-47	-35	-28	-29	-34	-22	-52	247
    encoding_table	136	-5	-4	-4	-5	-4	-6	-107
    encoding_table unicodeencodeerror	136	-5	-4	-4	-5	-4	-6	-107
    encodings	148	-10	-8	-7	-10	-7	-11	-96
    encodings cp0000	162	-7	-6	-6	-7	-6	-8	-123
    end	13	-4	-3	-2	24	-2	-3	-22
    end of	13	-4	-3	-2	24	-2	-3	-22
    environment	29	-38	-44	-36	-33	-37	162	-4
    environment variable	-30	-35	-40	-33	-30	-34	166	35
    envs	4	64	-11	42	-25	-17	-19	-39
    err	-5	-8	-8	-6	27	-5	-13	18
    error	-241	354	-101	-401	-61	-314	834	-69
    error authenticationerror	-10	-13	-14	-11	-11	-9	37	31
    error column	-21	369	-50	-28	-26	-21	-51	-172
    error database	-18	-37	-29	-22	96	-21	-38	70
    error error	-18	169	133	-27	-23	-19	-46	-170
    error in	11	-13	-5	-6	-5	-4	-20	43
    error originated	-4	-10	-8	-6	-7	-7	-15	57
    error output	-6	-7	-7	-6	-5	-5	-17	54
    error sqlite_busy	-14	-25	-23	-18	189	-16	-30	-62
    error traceback	75	-2	-2	-2	-2	-2	-2	-64
    error validating	-9	-15	162	-11	-11	-8	-20	-89
    errors	-8	-171	83	-252	-122	-119	-58	646
    errors decoding_table	-44	-3	-3	-3	-3	-2	-3	61
    errors encoding_table	136	-5	-4	-4	-5	-4	-6	-107
    errors for	-14	-16	-52	-13	-17	-13	175	-50
    errors from	-6	-8	-11	-9	-6	-7	-12	58
    errors imports	-12	-20	-21	-143	-15	-14	-19	244
    errors pydantic	-20	-23	70	-20	-24	-20	102	-67
    errors turn	-9	-15	162	-11	-11	-8	-20	-89
    errors undefinedtable	-23	-63	-35	-27	-27	-27	-35	236
    event	-16	47	-14	-13	-22	51	-20	-13
    event loop	-9	-6	-3	-3	-9	-3	-7	39
    exception	-28	5	-41	-31	157	-39	-301	279
    exception caught	-16	-15	-6	-5	12	-4	-10	42
    exception ignored	-9	-6	-3	-3	-9	-3	-7	39
    exception was	-15	67	-7	-5	-22	-14	-14	9
    execute	-66	201	-34	-25	133	-31	-64	-115
    executemany	-22	-38	-15	-12	71	-10	-14	40
    executing	-9	113	-19	-11	22	-10	-22	-64
    exist	-59	430	-128	-90	-78	-66	-125	116
    exist in	-11	187	-15	-12	-17	-11	-17	-103
    exist line	-18	120	-38	-23	-22	-17	-34	32
    exists	-41	-85	-73	-67	-64	-55	-79	464
    exists if	-4	-6	-4	-4	-5	-4	-5	30
    exit	-5	-12	-7	-6	-7	-6	-9	53
    exit code	-5	-12	-7	-6	-7	-6	-9	53
    export	-24	-46	-187	-34	-36	-30	515	-158
    failed	-37	-101	447	-91	-56	-47	-80	-35
    false	-9	-15	162	-11	-11	-8	-20	-89
    fatal	-7	-9	-7	-6	-7	-6	-10	50
    fatal unable	-7	-9	-7	-6	-7	-6	-10	50
    field	-117	123	908	-146	-146	-129	-150	-343
    field list	-28	385	-77	-33	-34	-29	-65	-121
    field required	-31	-45	245	-34	-39	-33	50	-113
    file	158	-28	-143	-167	36	-146	73	218
    file because	-10	-13	-10	-19	-18	-11	-17	98
    file encodings	-14	-3	-2	-2	-3	-2	-3	27
    file exists	-7	-9	-7	-6	-7	-6	-10	50
    file frozen	-61	-20	-14	-10	-18	-12	172	-38
    file home	-59	13	-27	-20	-43	-23	139	20
    file manually	-7	-9	-7	-6	-7	-6	-10	50
    file program	5	-9	-4	-3	-9	-7	-8	36
    file python	18	-3	-2	-3	-4	-3	46	-50
    file python00	67	-4	-4	-4	-5	-4	15	-61
    file users	20	217	-17	-27	-11	-37	49	-194
    file usr	1	-48	-15	-13	40	-10	-23	66
    file_download	-3	-7	-3	-3	-4	-5	-8	33
    file_download py	-3	-7	-3	-3	-4	-5	-8	33
    files	-14	-44	-17	-143	-39	-20	-29	305
    files but	-3	-7	-3	-3	-4	-5	-8	33
    files will	-3	-7	-3	-3	-4	-5	-8	33
    files x00	7	-20	-3	-2	-21	-3	-7	49
    find	-17	-21	-23	-19	-16	-15	-65	176
    find your	-17	-21	-23	-19	-16	-15	-65	176
    finished	-24	-34	-46	-15	-16	-12	-27	174
    floating	-6	-8	-11	-9	-6	-7	-12	58
    floating point	-6	-8	-11	-9	-6	-7	-12	58
    fmt	-5	-7	-8	-85	-6	-6	-7	123
    fmt imports	-5	-7	-8	-85	-6	-6	-7	123
    foo	-16	51	-29	222	-23	32	-30	-208
    for	-95	-121	166	-92	-26	-67	23	211
    for further	-20	-23	70	-20	-24	-20	102	-67
    for key	-17	-41	-57	-16	-16	-17	-53	218
    for more	41	-4	-4	-3	-4	-4	-11	-12
    for settings	-11	-13	-31	-11	-13	-11	131	-42
    for target	-4	-5	-6	-29	-4	-4	-5	57
    format	-11	91	-21	-16	-16	67	-18	-76
    found	-19	206	-46	-24	-22	-21	-38	-35
    found unknown	-17	211	-42	-21	-19	-17	-30	-66
    from	-147	30	-91	118	-94	-94	-163	441
    from different	-6	-8	-11	-9	-6	-7	-12	58
    from partially	-20	-21	-25	253	-19	-20	-22	-126
    frozen	-61	-20	-14	-10	-18	-12	172	-38
    function	-13	-16	-11	-9	-16	-10	-21	96
    function _proactorbasepipetransport	-9	-6	-3	-3	-9	-3	-7	39
    function without	-4	-10	-8	-6	-7	-7	-15	57
    further	-20	-23	70	-20	-24	-20	102	-67
    further information	-20	-23	70	-20	-24	-20	102	-67
    future	-27	-34	-26	-23	-28	144	-34	28
    future promise	-5	-12	-7	-6	-7	-6	-9	53
    future that	-12	-15	-16	-15	-14	156	-21	-63
    futures	23	-16	-17	-16	-15	155	-22	-93
    futures do	-12	-15	-16	-15	-14	156	-21	-63
    gbk	269	-18	-16	-15	-16	-13	-22	-168
    gbk codec	269	-18	-16	-15	-16	-13	-22	-168
    get	-7	-14	-11	-143	-8	-10	-15	209
    git	-9	-14	-9	-8	-9	-8	-13	70
    git index	-7	-9	-7	-6	-7	-6	-10	50
    git process	-7	-9	-7	-6	-7	-6	-10	50
    github	-34	-62	-51	227	-39	-40	-45	44
    github com	-32	-60	-50	229	-37	-38	-63	51
    global	-17	41	-11	-7	-17	-5	-16	31
    go	-22	-45	-42	155	-29	-31	-41	54
    go build	-7	-13	-12	86	-9	-9	-12	-25
    go get	-6	-12	-10	-142	-7	-8	-10	195
    gopath	-6	-10	-9	94	-7	-8	-9	-46
    gopath src	-6	-10	-9	94	-7	-8	-9	-46
    gpt	-6	-7	-7	-6	-5	-5	-17	54
    gpt provider	-6	-7	-7	-6	-5	-5	-17	54
    handled	-12	-32	-20	-15	76	-17	-30	49
    handled will	-5	-12	-7	-6	-7	-6	-9	53
    handled with	-4	-10	-8	-6	-7	-7	-15	57
    handling	30	-6	-4	-3	-9	-4	-6	2
    have	-9	-18	-9	-9	-10	-8	51	11
    header	-113	-12	-6	-4	-10	-6	-20	170
    home	-77	-12	-49	-42	-68	138	110	2
    html	-7	-10	-8	-7	-9	82	-12	-29
    html passed	-7	-10	-8	-7	-9	82	-12	-29
    http	-39	-11	-6	-4	-9	-6	-19	93
    https	-81	-79	28	-57	-73	34	58	171
    https docs	-8	-12	-9	-8	-10	80	-17	-16
    https errors	-20	-23	70	-20	-24	-20	102	-67
    https platform	-17	-21	-23	-19	-16	-15	-65	176
    hub	-6	-11	-8	-6	26	-8	-11	23
    hub models	-3	-7	-3	-3	-4	-5	-8	33
    huggingface_hub	-3	-7	-3	-3	-4	-5	-8	33
    huggingface_hub cache	-3	-7	-3	-3	-4	-5	-8	33
    id	90	156	-58	-46	-49	42	-58	-77
    if	-21	-38	149	-23	-25	-19	26	-48
    if no	-4	-6	-4	-4	-5	-4	-5	30
    if you	-15	-30	155	-18	-18	-13	36	-98
    ignore	-9	-15	162	-11	-11	-8	-20	-89
    ignore these	-9	-15	162	-11	-11	-8	-20	-89
    ignored	-9	-6	-3	-3	-9	-3	-7	39
    ignored in	-9	-6	-3	-3	-9	-3	-7	39
    illegal	269	-18	-16	-15	-16	-13	-22	-168
    illegal multibyte	269	-18	-16	-15	-16	-13	-22	-168
    illegalargumentexception	-19	-48	-29	-25	-24	-22	160	6
    illegalargumentexception could	-19	-48	-29	-25	-24	-22	160	6
    image	93	-50	-47	-39	-108	-34	-58	241
    image is	-29	-48	-46	-37	-105	-33	-56	353
    implementer	-12	-15	-16	-15	-14	156	-21	-63
    implementer of	-12	-15	-16	-15	-14	156	-21	-63
    import	-145	-161	-91	591	-120	-101	-111	139
    import cycle	-43	-78	-75	408	-52	-54	-72	-34
    import main	-19	-11	-5	-7	-8	-4	-8	60
    import name	-49	-38	-33	210	-36	-30	-38	13
    import version	-18	-12	-5	-31	-12	-7	-10	94
    importerror	-77	-54	-40	201	-48	-35	-52	105
    importerror cannot	-49	-38	-33	210	-36	-30	-38	13
    importerror no	-28	-16	-7	-10	-12	-5	-15	93
    imports	-43	-78	-75	408	-52	-54	-72	-34
    imports bytes	-7	-13	-13	-58	-9	-9	-12	121
    imports crypto	-7	-13	-11	-157	-8	-9	-11	217
    imports errors	-12	-20	-21	-143	-15	-14	-19	244
    imports fmt	-5	-7	-8	-85	-6	-6	-7	123
    imports github	-19	-31	-30	454	-22	-22	-29	-300
    imports internal	-6	-10	-11	-51	-7	-7	-9	100
    imports runtime	-16	-29	-28	-278	-20	-20	-27	418
    in	-83	303	-430	-397	-44	-238	236	653
    in 00s	-9	-27	-46	-9	-10	44	-25	82
    in __del__	-9	-6	-3	-3	-9	-3	-7	39
    in __getitem__	-33	-20	-13	-10	-18	-12	173	-67
    in __init__	33	-22	3	-13	-33	-17	95	-46
    in _bootstrap	45	-1	-1	-1	-2	-1	-2	-37
    in _check_closed	-9	-6	-3	-3	-9	-3	-7	39
    in call_soon	-9	-6	-3	-3	-9	-3	-7	39
    in close	-9	-6	-3	-3	-9	-3	-7	39
    in decode	-44	-3	-3	-3	-3	-2	-3	61
    in degraded	-3	-7	-3	-3	-4	-5	-8	33
    in emit	116	-3	-3	-2	-3	-2	-3	-99
    in encode	197	-10	-8	-7	-10	-7	-11	-146
    in field	-28	385	-77	-33	-34	-29	-65	-121
    in function	-9	-6	-3	-3	-9	-3	-7	39
    in main	60	-17	-7	-7	-18	-5	-13	5
    in module	197	34	-23	-97	-71	-54	-85	98
    in position	340	-103	-76	-78	-77	-64	-110	169
    in putheader	-113	-12	-6	-4	-10	-6	-20	170
    in range	12	-33	-19	-18	-21	-15	-36	130
    in run	2	-21	-4	-4	-23	-4	-8	62
    in seconds	-7	-10	-7	-9	-11	29	-13	28
    in string	-11	-32	-18	-15	-15	-13	10	94
    in the	-22	160	-29	-25	-32	-23	30	-60
    in this	-7	-9	-7	-6	-7	-6	-10	50
    in users	3	-19	-14	-11	-12	-12	-34	98
    in value	-22	-54	-36	-34	-27	-25	432	-234
    in write	-69	-4	-3	-3	-4	-2	-5	89
    incorrect	-17	-21	-23	-19	-16	-15	-65	176
    incorrect api	-17	-21	-23	-19	-16	-15	-65	176
    index	-50	48	-12	-11	-14	-11	-17	66
    index lock	-7	-9	-7	-6	-7	-6	-10	50
    info	103	-18	116	-12	-17	-15	-83	-74
    information	19	-37	62	-25	63	-26	88	-143
    information visit	-20	-23	70	-20	-24	-20	102	-67
    initialization	-44	-60	-68	510	-52	-55	-68	-164
    initialized	-20	-21	-25	253	-19	-20	-22	-126
    initialized module	-20	-21	-25	253	-19	-20	-22	-126
    input	86	-53	-89	-70	-53	-53	-85	317
    input self	92	-8	-7	-7	-8	-6	-9	-46
    input_type	-20	-23	70	-20	-24	-20	102	-67
    input_type dict	-20	-23	70	-20	-24	-20	102	-67
    input_value	-20	-23	70	-20	-24	-20	102	-67
    input_value input_type	-11	-12	-135	-9	-13	-9	230	-41
    insert	-36	-59	132	-31	-37	-23	-37	93
    insert into	-36	-59	132	-31	-37	-23	-37	93
    inside	-4	-10	-8	-6	-7	-7	-15	57
    inside of	-4	-10	-8	-6	-7	-7	-15	57
    int00	-5	-7	-7	-5	55	-5	-6	-21
    int00 rc	-5	-7	-7	-5	55	-5	-6	-21
    internal	-19	-39	-30	-152	-22	-21	-43	325
    internal atomic	-6	-10	-10	-93	-7	-7	-10	144
    internal bytealg	-6	-10	-11	-51	-7	-7	-9	100
    internal cpu	-6	-10	-11	-51	-7	-7	-9	100
    internal reflectlite	-5	-7	-7	-43	-5	-5	-6	79
    into	-46	-72	115	-45	-63	-34	-50	196
    invalid	-21	70	176	-26	-28	-23	-35	-113
    invocation	-8	127	-11	-9	-12	-8	-13	-67
    io	-8	-12	35	82	-9	-8	-13	-67
    is	-142	-220	-168	-148	778	-128	-151	179
    is being	-10	-13	-10	-19	-18	-11	-17	98
    is closed	-9	-6	-3	-3	-9	-3	-7	39
    is currently	-4	-6	-4	-4	-5	-4	-5	30
    is locked	-69	-117	-90	-71	941	-67	-110	-417
    is malformed	-29	-48	-46	-37	-105	-33	-56	353
    is not	-16	-13	-6	-5	-15	-4	-10	69
    is running	-4	-6	-4	-4	-5	-4	-5	30
    it	-19	-31	-19	-28	-28	-19	34	109
    it is	-10	-13	-10	-19	-18	-11	-17	98
    jar	-12	101	-24	-15	-15	-13	241	-263
    java	-26	70	-43	-33	-32	-28	142	-50
    java lang	-19	-48	-29	-25	-24	-22	160	6
    js	-8	48	-12	-10	-12	-10	-14	17
    js at	-5	53	-8	-6	-8	-6	-9	-10
    js process	-5	-12	-7	-6	-7	-6	-9	53
    json	-39	-44	-44	-19	-19	-14	-53	231
    k0s	-8	-12	35	82	-9	-8	-13	-67
    key	-59	-117	-125	-71	-71	-62	263	243
    key at	-17	-21	-23	-19	-16	-15	-65	176
    key in	-6	-15	-7	-7	-8	-5	56	-9
    key provided	-19	-24	-25	-20	-19	-17	11	112
    keyerror	-22	-25	-15	-11	-23	-16	169	-56
    keys	-19	-24	-25	-20	-19	-17	11	112
    kubectl	-15	-45	80	-21	-18	-15	-59	93
    kubectl apply	-15	-45	80	-21	-18	-15	-59	93
    lang	-19	-48	-29	-25	-24	-22	160	6
    lang illegalargumentexception	-19	-48	-29	-25	-24	-22	160	6
    last	151	-25	-69	-99	7	-66	-89	189
    last file	160	-19	-66	-78	15	-61	-83	131
    latin	-192	-26	-15	-14	-14	-12	-30	302
    latin codec	-192	-26	-15	-14	-14	-12	-30	302
    lib	5	-53	-54	-30	91	95	58	-111
    lib asyncio	-19	-13	-6	-5	-15	-8	-12	78
    lib encodings	162	-7	-6	-6	-7	-6	-8	-123
    lib python0	-64	16	-36	1	112	52	-85	4
    lib site	5	-43	1	-15	9	-19	172	-109
    library	-58	-11	-6	-4	-8	-6	-19	111
    libs	-15	-18	-8	-18	-10	-6	-25	99
    likely	-20	-21	-25	253	-19	-20	-22	-126
    likely due	-20	-21	-25	253	-19	-20	-22	-126
    line	42	-30	257	-190	38	-170	31	22
    line column	-32	-174	408	-38	-41	-35	-81	-8
    line in	94	-32	-104	-125	78	-115	154	50
    list	-28	385	-77	-33	-34	-29	-65	-121
    load	-10	-14	-13	182	-10	-10	-13	-112
    load package	-10	-14	-13	182	-10	-10	-13	-112
    local	50	-77	-19	-41	165	-2	41	-118
    local bin	106	-25	-6	-4	-13	-3	-7	-48
    local lib	77	-19	-8	-7	164	-11	-29	-166
    local programs	-33	-17	8	-9	35	-10	99	-73
    local temp	25	-14	-11	-20	-19	-12	-18	68
    location	-15	-30	-46	-15	16	-9	-25	125
    lock	-7	-9	-7	-6	-7	-6	-10	50
    lock file	-7	-9	-7	-6	-7	-6	-10	50
    locked	-69	-117	-90	-71	941	-67	-110	-417
    locked database	-6	-9	-10	-8	64	-7	-8	-16
    locked stack	-10	-16	-14	-12	113	-10	-17	-35
    logging	90	-3	-2	-2	-3	-2	-3	-75
    logging __init__	45	-1	-1	-1	-2	-1	-2	-37
    logging error	90	-3	-2	-2	-3	-2	-3	-75
    loop	-9	-6	-3	-3	-9	-3	-7	39
    loop is	-9	-6	-3	-3	-9	-3	-7	39
    machine	-3	-7	-3	-3	-4	-5	-8	33
    machine does	-3	-7	-3	-3	-4	-5	-8	33
    main	-26	89	-54	18	96	30	-241	86
    main file	-104	-19	-7	-7	57	-5	-13	98
    main imports	-8	-14	-14	72	-11	-11	-12	-2
    main panicked	-9	-13	-16	-12	-10	-13	-20	93
    main py	-20	-14	10	-8	98	-9	80	-138
    main rs	-9	-14	-14	-13	-11	77	-19	1
    make	-13	-20	-18	-63	-15	-13	-21	163
    make sure	-7	-9	-7	-6	-7	-6	-10	50
    makefile	-4	-5	-6	-29	-4	-4	-5	57
    makefile recipe	-4	-5	-6	-29	-4	-4	-5	57
    malformed	-29	-48	-46	-37	-105	-33	-56	353
    manually	-7	-9	-7	-6	-7	-6	-10	50
    manually to	-7	-9	-7	-6	-7	-6	-10	50
    maps	213	-38	-33	-33	-31	-28	-39	-13
    maps to	213	-38	-33	-33	-31	-28	-39	-13
    master	-29	-19	-10	-12	-12	-7	-25	114
    may	50	-14	-17	-14	-12	-12	-21	40
    may see	-6	-8	-11	-9	-6	-7	-12	58
    means	-4	-6	-4	-4	-5	-4	-5	30
    means git	-4	-6	-4	-4	-5	-4	-5	30
    message	51	-37	-41	-27	3	-24	-50	126
    microsoft	-9	-21	-14	-10	142	-12	-19	-58
    microsoft data	-8	-19	-13	-9	144	-9	-14	-72
    might	-3	-7	-3	-3	-4	-5	-8	33
    might require	-3	-7	-3	-3	-4	-5	-8	33
    miniconda0	-13	-10	-6	46	-8	-7	-9	8
    miniconda0 envs	-13	-10	-6	46	-8	-7	-9	8
    missing	-85	-241	1026	-109	-108	-96	-66	-322
    missing api_hash	-6	-6	15	-4	-8	-4	39	-25
    missing field	-27	-153	449	-34	-36	-30	-63	-108
    missing input_value	-20	-23	70	-20	-24	-20	102	-67
    missing required	-27	-43	332	-41	-33	-34	-54	-101
    mode	-6	-9	-7	-8	-10	56	-13	-2
    model	-19	74	-31	29	-24	-21	-48	39
    model openai	-6	-7	-7	-6	-5	-5	-17	54
    models	-3	-7	-3	-3	-4	-5	-8	33
    module	175	10	-50	155	-94	-75	-31	-91
    module from	-66	-53	12	-66	-41	-23	-57	294
    module import	-18	-11	-6	-25	-12	-8	39	42
    module main	109	-15	-6	-5	-16	-4	-11	-52
    module named	-47	-41	-18	-25	-27	-14	-43	215
    module print	52	-1	-1	-1	-1	-1	-2	-45
    modulenotfounderror	-19	-25	-11	-15	-15	-9	-29	122
    modulenotfounderror no	-19	-25	-11	-15	-15	-9	-29	122
    more	39	-9	-6	-5	-6	-7	-14	7
    more space	-3	-7	-3	-3	-4	-5	-8	33
    most	131	-46	-94	154	-12	-86	-111	64
    most likely	-20	-21	-25	253	-19	-20	-22	-126
    most recent	151	-25	-69	-99	7	-66	-89	189
    msg	34	-13	-11	-9	82	-8	-14	-61
    msg file	41	-1	-1	-1	-1	-1	-1	-34
    multibyte	269	-18	-16	-15	-16	-13	-22	-168
    multibyte sequence	269	-18	-16	-15	-16	-13	-22	-168
    must	-23	-25	-27	-25	-23	145	107	-129
    must be	-23	-25	-27	-25	-23	145	107	-129
    name	-80	24	106	177	-70	-54	-74	-30
    name version	-18	-12	-5	-31	-12	-7	-10	94
    named	-47	-41	-18	-25	-27	-14	-43	215
    need	58	-5	-5	-4	-4	-5	-9	-25
    need to	58	-5	-5	-4	-4	-5	-9	-25
    never	-59	-77	-71	-68	-71	561	-85	-131
    never awaited	-48	-70	-68	-67	-65	567	-80	-169
    new	-11	-22	158	-18	-11	-13	-16	-68
    nextresult	-11	-17	-16	-13	118	-12	-14	-37
    no	-119	306	-69	-63	-130	-55	-31	161
    no module	-47	-41	-18	-25	-27	-14	-43	215
    no other	-4	-6	-4	-4	-5	-4	-5	30
    no such	-63	360	-41	-30	-93	-32	-49	-51
    node	-34	-63	71	-46	71	-40	-79	121
    node dep0000	-3	-9	-5	-4	-5	-4	-6	36
    node js	-5	-12	-7	-6	-7	-6	-9	53
    node unhandledpromiserejectionwarning	-19	-33	-32	-26	-25	-23	-43	201
    non	-5	-12	-7	-6	-7	-6	-9	53
    non zero	-5	-12	-7	-6	-7	-6	-9	53
    none	-82	65	-40	-36	-40	-33	-48	214
    none file	-19	-13	-6	-5	-15	-8	-12	78
    not	-384	450	180	93	-248	-294	-38	241
    not allowed	-197	-93	-84	395	-61	-62	-85	186
    not exist	-59	430	-128	-90	-78	-66	-125	116
    not found	-17	211	-42	-21	-19	-17	-30	-66
    not handled	-12	-32	-20	-15	76	-17	-30	49
    not in	12	-33	-19	-18	-21	-15	-36	130
    not null	-28	-75	494	-58	-47	-38	-57	-192
    not resolve	-34	-86	-54	-48	-42	-38	442	-140
    not set	-17	-47	77	-24	-20	-17	-63	112
    not support	-3	-7	-3	-3	-4	-5	-8	33
    note	-23	-31	-35	-30	-26	141	-45	49
    note futures	-12	-15	-16	-15	-14	156	-21	-63
    note run	-9	-13	-16	-12	-10	-13	-20	93
    note warn	-12	-15	-16	-15	-14	156	-21	-63
    nothing	-12	-15	-16	-15	-14	156	-21	-63
    nothing unless	-12	-15	-16	-15	-14	156	-21	-63
    null	-28	-75	494	-58	-47	-38	-57	-192
    null constraint	-28	-75	494	-58	-47	-38	-57	-192
    numerical	-6	-8	-11	-9	-6	-7	-12	58
    numerical results	-6	-8	-11	-9	-6	-7	-12	58
    object	-48	148	-25	-19	-22	-18	-27	11
    occurred	38	-13	-7	-5	88	-5	-9	-87
    of	28	30	-41	-34	73	130	-61	-126
    of an	-4	-10	-8	-6	-7	-7	-15	57
    of the	36	73	-5	-4	-17	-10	-10	-65
    off	-15	-22	151	-20	-17	-15	-32	-30
    off errors	-6	-8	-11	-9	-6	-7	-12	58
    off set	-6	-8	-11	-9	-6	-7	-12	58
    off with	-9	-15	162	-11	-11	-8	-20	-89
    on	-41	-62	114	-56	-12	121	-70	6
    on by	-12	-15	-16	-15	-14	156	-21	-63
    on you	-6	-8	-11	-9	-6	-7	-12	58
    on your	-3	-7	-3	-3	-4	-5	-8	33
    onednn	-6	-8	-11	-9	-6	-7	-12	58
    onednn custom	-6	-8	-11	-9	-6	-7	-12	58
    openai	-42	-52	-48	-38	-45	-39	312	-48
    openai _client	-8	-5	-4	-4	-6	-5	83	-52
    openai api_key	-14	-21	-14	-10	-20	-13	250	-158
    openai com	-19	-24	-25	-20	-19	-17	11	112
    openai error	-10	-13	-14	-11	-11	-9	37	31
    openai gpt	-6	-7	-7	-6	-5	-5	-17	54
    openai openaierror	-12	-10	-10	-9	-9	-11	128	-66
    openai status	-6	-7	-7	-6	-5	-5	-17	54
    openai_api_key	-46	-70	-63	-49	-60	-49	702	-366
    openai_api_key environment	-12	-10	-10	-9	-9	-11	128	-66
    openaierror	-12	-10	-10	-9	-9	-11	128	-66
    openaierror openai	-8	-5	-4	-4	-6	-5	83	-52
    openaierror the	-12	-10	-10	-9	-9	-11	128	-66
    operationalerror	-148	210	-154	-130	202	-116	-176	311
    operationalerror attempt	-21	-29	-23	-20	-46	-15	-19	173
    operationalerror database	-29	-45	-23	-19	399	-20	-39	-225
    operationalerror no	-63	360	-41	-30	-93	-32	-49	-51
    operations	-6	-8	-11	-9	-6	-7	-12	58
    operations are	-6	-8	-11	-9	-6	-7	-12	58
    opt	-7	73	-5	-4	-18	-10	-10	-19
    option	-21	-23	-26	-21	-19	-24	107	27
    option must	-12	-10	-10	-9	-9	-11	128	-66
    or	-30	-53	-70	-28	-32	48	155	8
    or by	-16	-20	-18	-15	-17	-18	113	-9
    orders	-6	-8	-11	-9	-6	-7	-12	58
    orders to	-6	-8	-11	-9	-6	-7	-12	58
    ordinal	12	-33	-19	-18	-21	-15	-36	130
    ordinal not	12	-33	-19	-18	-21	-15	-36	130
    org	-59	59	-51	-167	-53	51	-47	267
    org en	-7	-10	-8	-7	-9	82	-12	-29
    org springframework	-11	-32	-18	-15	-15	-13	10	94
    originated	-4	-10	-8	-6	-7	-7	-15	57
    originated either	-4	-10	-8	-6	-7	-7	-15	57
    os	-28	-48	-38	-29	58	-29	137	-22
    other	-4	-6	-4	-4	-5	-4	-5	30
    other git	-4	-6	-4	-4	-5	-4	-5	30
    our	39	-15	-7	-8	-7	-6	-25	29
    output	-6	-7	-7	-6	-5	-5	-17	54
    output incorrect	-6	-7	-7	-6	-5	-5	-17	54
    p0000	-6	112	-9	-6	-10	-6	-10	-65
    pack	-5	-8	-24	-4	-7	-5	42	11
    package	-65	-83	-78	405	-56	-57	-76	11
    package github	-22	-38	-36	141	-25	-26	-35	42
    package import	-10	-14	-13	182	-10	-10	-13	-112
    package main	-8	-14	-14	72	-11	-11	-12	-2
    packages	-61	-36	-25	-24	111	114	28	-108
    packages openai	-10	-8	-6	-5	-8	-6	159	-115
    packages urllib0	-113	-12	-6	-4	-10	-6	-20	170
    panicked	-9	-13	-16	-12	-10	-13	-20	93
    panicked at	-9	-13	-16	-12	-10	-13	-20	93
    parameters	-16	265	-28	-21	-37	-23	-25	-116
    parsestringvalue	-11	-32	-18	-15	-15	-13	10	94
    parsestringvalue propertyplaceholderhelper	-11	-32	-18	-15	-15	-13	10	94
    part	-33	-39	-81	-41	-36	39	-72	264
    partially	-20	-21	-25	253	-19	-20	-22	-126
    partially initialized	-20	-21	-25	253	-19	-20	-22	-126
    passed	-7	-10	-8	-7	-9	82	-12	-29
    passing	-12	-10	-10	-9	-9	-11	128	-66
    passing api_key	-12	-10	-10	-9	-9	-11	128	-66
    pc	20	-3	-4	-22	-3	-3	-3	17
    permissionerror	-52	-65	-71	-74	-64	-56	-84	465
    permissionerror winerror	-52	-65	-71	-74	-64	-56	-84	465
    php	-7	97	-16	-8	-9	-7	-14	-35
    pid	-15	-29	-25	-21	-34	-18	-262	403
    placeholder	-34	-86	-54	-48	-42	-38	442	-140
    platform	-17	-21	-23	-19	-16	-15	-65	176
    platform openai	-17	-21	-23	-19	-16	-15	-65	176
    please	-27	-55	-45	-37	-38	-31	300	-66
    point	-8	-10	-13	-10	-9	-8	64	-5
    point round	-6	-8	-11	-9	-6	-7	-12	58
    port	-10	-15	112	-14	-11	-10	-23	-29
    port cc	-5	-6	-8	-7	-4	-5	-9	43
    position	333	14	-91	-86	-85	-71	-128	113
    position character	213	-38	-33	-33	-31	-28	-39	-13
    position illegal	269	-18	-16	-15	-16	-13	-22	-168
    position ordinal	12	-33	-19	-18	-21	-15	-36	130
    position surrogates	-154	-14	-9	-13	-9	-8	-13	220
    print	197	-7	-7	-6	-8	-5	-11	-153
    prisma	-14	174	-20	-18	-22	-15	-37	-49
    prismaclientknownrequesterror	-6	112	-9	-6	-10	-6	-10	-65
    proactor_events	-9	-6	-3	-3	-9	-3	-7	39
    proactor_events py	-9	-6	-3	-3	-9	-3	-7	39
    probably	-4	-6	-4	-4	-5	-4	-5	30
    probably means	-4	-6	-4	-4	-5	-4	-5	30
    process	-25	-36	12	-33	-36	-25	-42	185
    process cannot	-10	-13	-10	-19	-18	-11	-17	98
    process crashed	-4	-6	-4	-4	-5	-4	-5	30
    process is	-4	-6	-4	-4	-5	-4	-5	30
    process users	-10	-13	-10	-19	-18	-11	-17	98
    process with	-5	-12	-7	-6	-7	-6	-9	53
    processes	156	-6	-4	-4	-4	-3	-7	-128
    program	-7	-28	-6	-5	-30	-9	-14	99
    program files	-7	-28	-6	-5	-30	-9	-14	99
    programs	-33	-17	8	-9	35	-10	99	-73
    programs python	-33	-17	8	-9	35	-10	99	-73
    projects	-4	-5	-5	-23	-4	-4	-5	50
    promise	-21	-40	-36	-29	-28	-26	-47	228
    promise rejection	-19	-33	-32	-26	-25	-23	-43	201
    promise rejections	-5	-12	-7	-6	-7	-6	-9	53
    promise which	-4	-10	-8	-6	-7	-7	-15	57
    propertyplaceholderhelper	-11	-32	-18	-15	-15	-13	10	94
    propertyplaceholderhelper java	-11	-32	-18	-15	-15	-13	10	94
    propertyplaceholderhelper parsestringvalue	-11	-32	-18	-15	-15	-13	10	94
    propertyplaceholderhelper replaceplaceholders	-11	-32	-18	-15	-15	-13	10	94
    provided	-19	-24	-25	-20	-19	-17	11	112
    provided sk	-7	-8	-9	-8	-6	-6	-26	71
    provider	-6	-7	-7	-6	-5	-5	-17	54
    provider openai	-6	-7	-7	-6	-5	-5	-17	54
    psycopg0	-23	-63	-35	-27	-27	-27	-35	236
    psycopg0 errors	-23	-63	-35	-27	-27	-27	-35	236
    putheader	-113	-12	-6	-4	-10	-6	-20	170
    py	-215	-56	-156	-143	42	150	87	292
    py line	-97	23	-84	-106	117	-101	184	64
    py runtimewarning	-24	-36	-32	-33	-37	294	-44	-87
    py userwarning	-3	-7	-3	-3	-4	-5	-8	33
    py0	102	-32	-13	39	-36	49	-21	-87
    py0 egg	107	-25	-7	46	-28	-9	-13	-71
    pydantic	-31	-45	245	-34	-39	-33	50	-113
    pydantic dev	-20	-23	70	-20	-24	-20	102	-67
    pydantic main	-6	-6	15	-4	-8	-4	39	-25
    pydantic_core	-10	-10	97	-8	-12	-8	-16	-34
    pydantic_core _pydantic_core	-10	-10	97	-8	-12	-8	-16	-34
    pytest	-7	-10	-8	-7	-9	82	-12	-29
    pytest org	-7	-10	-8	-7	-9	82	-12	-29
    python	-48	-76	-20	-30	-22	-2	282	-85
    python python00	-51	-27	-6	-5	26	-6	-20	90
    python python000	7	-9	12	-6	-12	-6	113	-100
    python0	-89	5	-46	-9	100	132	-98	7
    python0 dist	40	-9	-4	-4	67	-4	-7	-79
    python0 site	-110	15	-42	-5	33	137	-91	63
    python00	23	-39	-13	-11	15	-16	-11	52
    python00 lib	23	-39	-13	-11	15	-16	-11	52
    python000	1	-13	10	-7	-18	-8	109	-74
    python000 lib	1	-13	10	-7	-18	-8	109	-74
    query	-35	114	-13	-10	-16	-10	-23	-7
    raise	-23	-18	-14	-12	-22	-13	142	-39
    raise openaierror	-8	-5	-4	-4	-6	-5	83	-52
    raise runtimeerror	-11	-7	-5	-4	-11	-4	-8	49
    range	12	-33	-19	-18	-21	-15	-36	130
    rc	-5	-7	-7	-5	55	-5	-6	-21
    rc sqlite0	-5	-7	-7	-5	55	-5	-6	-21
    read	-32	-23	-13	-10	-12	-10	-30	128
    readonly	-31	-44	-46	-31	-62	-24	-36	276
    readonly database	-31	-44	-46	-31	-62	-24	-36	276
    recent	151	-25	-69	-99	7	-66	-89	189
    recent call	151	-25	-69	-99	7	-66	-89	189
    recipe	-8	69	-13	-34	-11	-9	-12	19
    recipe for	-4	-5	-6	-29	-4	-4	-5	57
    referenceerror	-44	-60	-68	510	-52	-55	-68	-164
    referenceerror cannot	-44	-60	-68	510	-52	-55	-68	-164
    reflectlite	-5	-7	-7	-43	-5	-5	-6	79
    reflectlite imports	-5	-7	-7	-43	-5	-5	-6	79
    rejecting	-4	-10	-8	-6	-7	-7	-15	57
    rejecting promise	-4	-10	-8	-6	-7	-7	-15	57
    rejection	-19	-33	-32	-26	-25	-23	-43	201
    rejection id	-16	-25	-26	-21	-19	-17	-30	154
    rejection rejection	-15	-23	-25	-20	-18	-16	-28	145
    rejection this	-4	-10	-8	-6	-7	-7	-15	57
    rejections	-5	-12	-7	-6	-7	-6	-9	53
    rejections are	-5	-12	-7	-6	-7	-6	-9	53
    rejections that	-5	-12	-7	-6	-7	-6	-9	53
    relation	-38	-241	-66	-58	-46	-47	-65	560
    remove	-7	-9	-7	-6	-7	-6	-10	50
    remove the	-7	-9	-7	-6	-7	-6	-10	50
    replaceplaceholders	-11	-32	-18	-15	-15	-13	10	94
    replaceplaceholders propertyplaceholderhelper	-11	-32	-18	-15	-15	-13	10	94
    repository	-7	-9	-7	-6	-7	-6	-10	50
    repository earlier	-7	-9	-7	-6	-7	-6	-10	50
    request	-79	57	-6	-5	-8	-5	-7	51
    requests	-112	-13	-7	-6	-22	-8	-26	194
    require	-5	-10	-6	-6	-6	-7	-10	50
    require more	-3	-7	-3	-3	-4	-5	-8	33
    required	-67	-123	537	-89	-84	-76	-49	-49
    required field	-27	-43	332	-41	-33	-34	-54	-101
    required type	-31	-45	245	-34	-39	-33	50	-113
    resolve	-34	-86	-54	-48	-42	-38	442	-140
    resolve placeholder	-34	-86	-54	-48	-42	-38	442	-140
    response	-33	-11	-8	-6	-19	-8	-29	113
    results	-6	-8	-11	-9	-6	-7	-12	58
    results due	-6	-8	-11	-9	-6	-7	-12	58
    return	74	-20	-14	-13	-29	-15	-34	51
    return codecs	127	-9	-8	-7	-9	-7	-10	-76
    return self	-57	-3	-2	-2	-3	-2	-3	72
    root	-19	-12	-8	-12	-12	-6	-11	81
    round	-6	-8	-11	-9	-6	-7	-12	58
    round off	-6	-8	-11	-9	-6	-7	-12	58
    row	-10	-11	-5	-4	121	-5	-15	-72
    rows	-15	153	-35	-22	70	-17	-31	-104
    rs	-29	-62	-78	-37	-34	134	-78	185
    run	136	-74	-76	-34	-52	86	-67	81
    run file	2	-21	-4	-4	-23	-4	-8	62
    run with	-9	-13	-16	-12	-10	-13	-20	93
    running	-35	-51	-72	-28	-35	-36	-57	313
    running and	-4	-6	-4	-4	-5	-4	-5	30
    running this	-4	-6	-4	-4	-5	-4	-5	30
    runtime	-21	28	-35	-284	-26	-25	-35	397
    runtime imports	-12	-20	-21	-143	-15	-14	-19	244
    runtime internal	-6	-10	-10	-93	-7	-7	-10	144
    runtime makefile	-4	-5	-6	-29	-4	-4	-5	57
    runtimeerror	-11	-7	-5	-4	-11	-4	-8	49
    runtimeerror event	-9	-6	-3	-3	-9	-3	-7	39
    runtimewarning	-48	-70	-68	-67	-65	567	-80	-169
    runtimewarning coroutine	-48	-70	-68	-67	-65	567	-80	-169
    rust_backtrace	-9	-13	-16	-12	-10	-13	-20	93
    rust_backtrace environment	-9	-13	-16	-12	-10	-13	-20	93
    seconds	-7	-10	-7	-9	-11	29	-13	28
    see	-13	-25	-18	-17	-15	-14	40	63
    see https	-3	-4	-3	-2	-4	-4	71	-50
    see slightly	-6	-8	-11	-9	-6	-7	-12	58
    see this	-5	-14	-6	-7	-6	-6	-24	68
    seeing	-13	-27	-17	-17	-16	107	-33	15
    select	-23	376	-27	-20	-34	-17	-22	-233
    self	-41	10	-35	-45	137	-50	-55	77
    self __pydantic_validator__	-6	-6	15	-4	-8	-4	39	-25
    self _call_connection_lost	-9	-6	-3	-3	-9	-3	-7	39
    self _check_closed	-9	-6	-3	-3	-9	-3	-7	39
    self _loop	-9	-6	-3	-3	-9	-3	-7	39
    self close	-9	-6	-3	-3	-9	-3	-7	39
    self errors	56	-10	-8	-8	-10	-7	-11	-3
    self pydantic_core	-6	-6	15	-4	-8	-4	39	-25
    self_instance	-6	-6	15	-4	-8	-4	39	-25
    self_instance self	-6	-6	15	-4	-8	-4	39	-25
    send	-92	-17	-11	-9	-15	68	-18	93
    sequence	269	-18	-16	-15	-16	-13	-22	-168
    server	-12	96	-22	-16	-14	-14	-25	6
    sessions	-87	-8	-4	-4	-11	-4	-8	125
    set	-38	-70	53	-44	-40	-38	124	53
    set either	-12	-10	-10	-9	-9	-11	128	-66
    set the	-11	-16	-17	-14	-12	-11	55	26
    setting	-13	-12	-12	-10	-11	-14	123	-53
    setting the	-13	-12	-12	-10	-11	-14	123	-53
    settings	-59	-23	-36	-21	-17	-16	123	50
    site	-40	-31	-44	-23	39	115	75	-91
    site packages	-80	-25	-20	-19	45	119	36	-57
    sk	-7	-8	-9	-8	-6	-6	-26	71
    slightly	-6	-8	-11	-9	-6	-7	-12	58
    slightly different	-6	-8	-11	-9	-6	-7	-12	58
    so	-6	-15	-8	-9	-7	-6	-23	73
    something	-28	-40	-46	160	-33	-33	-49	67
    source	-15	105	-40	-158	-34	-28	-4	173
    space	-3	-7	-3	-3	-4	-5	-8	33
    space on	-3	-7	-3	-3	-4	-5	-8	33
    springframework	-11	-32	-18	-15	-15	-13	10	94
    springframework util	-11	-32	-18	-15	-15	-13	10	94
    sql	-38	150	111	-48	25	-37	-51	-113
    sql insert	-21	-36	136	-29	-27	-20	-32	29
    sql select	-11	191	-24	-18	-21	-15	-16	-87
    sqlalchemy	-10	167	-14	-11	-27	-16	-18	-72
    sqlite	-33	-62	-52	-40	128	-37	-66	162
    sqlite error	-18	-37	-29	-22	96	-21	-38	70
    sqlite sqlite0	-6	-9	-10	-8	64	-7	-8	-16
    sqlite sqlitedatareader	-11	-17	-16	-13	118	-12	-14	-37
    sqlite sqliteexception	-11	-24	-18	-13	177	-13	-19	-80
    sqlite0	-142	102	224	-129	387	-110	-171	-161
    sqlite0 db	-5	-7	-7	-5	55	-5	-6	-21
    sqlite0 operationalerror	-100	193	-72	-57	160	-56	-95	27
    sqlite0 step	-6	-9	-10	-8	64	-7	-8	-16
    sqlite_busy	-14	-25	-23	-18	189	-16	-30	-62
    sqlite_busy database	-14	-25	-23	-18	189	-16	-30	-62
    sqlitecommand	-5	-8	-7	-5	55	-5	-7	-19
    sqlitedatareader	-11	-17	-16	-13	118	-12	-14	-37
    sqlitedatareader nextresult	-11	-17	-16	-13	118	-12	-14	-37
    sqliteexception	-11	-24	-18	-13	177	-13	-19	-80
    sqliteexception 0x00000000	-6	-9	-10	-7	63	-7	-8	-17
    sqliteexception throwexceptionforrc	-5	-7	-7	-5	55	-5	-6	-21
    sqlitestatement	-6	-9	-10	-8	64	-7	-8	-16
    sqlitestatement stmt	-6	-9	-10	-8	64	-7	-8	-16
    sqlstate	-37	391	88	-54	-41	-40	-71	-236
    sqlstate 00s00	-17	211	-42	-21	-19	-17	-30	-66
    src	-42	-83	-98	-17	-22	119	-96	239
    src github	-6	-10	-9	94	-7	-8	-9	-46
    src main	-9	-14	-14	-13	-11	77	-19	1
    stack	33	-21	-18	-15	137	-13	-21	-83
    stack file	45	-1	-1	-1	-2	-1	-2	-37
    stack trace	-5	-8	-7	-5	55	-5	-7	-19
    start_time	-17	66	-8	-6	-24	-15	-15	19
    started	-7	96	-15	-11	-11	-10	-12	-30
    status	13	-13	-11	-9	-10	-8	-22	60
    status code	-6	-7	-7	-6	-5	-5	-17	54
    stdin	-22	161	-27	-16	-18	-11	-30	-37
    step	-6	-9	-10	-8	64	-7	-8	-16
    step sqlitestatement	-6	-9	-10	-8	64	-7	-8	-16
    still	-6	-10	-6	-5	-6	-7	-13	53
    still work	-3	-7	-3	-3	-4	-5	-8	33
    stmt	-6	-9	-10	-8	64	-7	-8	-16
    store	-3	-7	-3	-3	-4	-5	-8	33
    store duplicated	-3	-7	-3	-3	-4	-5	-8	33
    str	-78	-4	-2	-2	-5	-2	-4	97
    stream	41	-1	-1	-1	-1	-1	-1	-34
    stream write	41	-1	-1	-1	-1	-1	-1	-34
    string	-13	-35	-21	-16	10	-15	7	83
    string value	-11	-32	-18	-15	-15	-13	10	94
    such	-63	360	-41	-30	-93	-32	-49	-51
    such column	-28	451	-31	-23	-49	-26	-31	-262
    such table	-35	-90	-10	-7	-44	-7	-18	211
    summary	-13	-19	-17	-16	-17	156	-23	-51
    support	-26	-11	-6	-6	-8	-7	67	-3
    support them	-3	-7	-3	-3	-4	-5	-8	33
    sure	-7	-9	-7	-6	-7	-6	-10	50
    sure no	-4	-6	-4	-4	-5	-4	-5	30
    surrogates	-154	-14	-9	-13	-9	-8	-13	220
    surrogates not	-154	-14	-9	-13	-9	-8	-13	220
    symlinks	-3	-7	-3	-3	-4	-5	-8	33
    symlinks by	-3	-7	-3	-3	-4	-5	-8	33
    system	-24	67	-39	-31	158	-29	-38	-65
    system data	-8	-13	-12	-10	89	-9	-11	-27
    system uses	-3	-7	-3	-3	-4	-5	-8	33
    table	-80	32	-107	-85	-115	-67	-115	538
    target	-8	-27	-48	-33	-9	-9	-23	157
    temp	25	-14	-11	-20	-19	-12	-18	68
    tensorflow	-6	-8	-11	-9	-6	-7	-12	58
    tensorflow core	-6	-8	-11	-9	-6	-7	-12	58
    terminate	-5	-12	-7	-6	-7	-6	-9	53
    terminate the	-5	-12	-7	-6	-7	-6	-9	53
    terminated	-8	-24	-44	-6	-7	-8	-23	121
    test	161	-13	-9	-26	-21	-9	-25	-58
    test py	4	-8	-4	-3	-17	-6	-21	56
    tests	-71	-49	-35	-39	-33	208	-57	74
    tf_enable_onednn_opts	-6	-8	-11	-9	-6	-7	-12	58
    tf_enable_onednn_opts tensorflow	-4	-5	-7	-6	-5	-4	-8	40
    that	-24	-46	-32	-30	-29	141	-56	77
    that are	-5	-12	-7	-6	-7	-6	-9	53
    that might	-3	-7	-3	-3	-4	-5	-8	33
    that must	-12	-15	-16	-15	-14	156	-21	-63
    the	-51	119	-143	-112	-33	99	18	103
    the above	36	73	-5	-4	-17	-10	-10	-65
    the api_key	-12	-10	-10	-9	-9	-11	128	-66
    the client	-12	-10	-10	-9	-9	-11	128	-66
    the column	-14	174	-20	-18	-22	-15	-37	-49
    the current	-11	187	-15	-12	-17	-11	-17	-103
    the environment	-8	-10	-13	-10	-9	-8	64	-5
    the file	-16	-22	-17	-25	-25	-17	-27	148
    the future	-5	-12	-7	-6	-7	-6	-9	53
    the node	-5	-12	-7	-6	-7	-6	-9	53
    the openai_api_key	-12	-10	-10	-9	-9	-11	128	-66
    the process	-10	-13	-10	-19	-18	-11	-17	98
    them	-15	-22	-21	-18	-16	63	-30	59
    them in	-3	-7	-3	-3	-4	-5	-8	33
    them off	-6	-8	-11	-9	-6	-7	-12	58
    these	-9	-15	162	-11	-11	-8	-20	-89
    these errors	-9	-15	162	-11	-11	-8	-20	-89
    this	-25	34	-32	-29	-32	-28	-66	178
    this error	-10	-24	-13	-12	-14	-12	-35	121
    this probably	-4	-6	-4	-4	-5	-4	-5	30
    this repository	-7	-9	-7	-6	-7	-6	-10	50
    thread	11	57	-44	-34	60	-32	-286	268
    thread main	-15	-28	-24	-19	-18	-19	-270	393
    threading	45	-1	-1	-1	-2	-1	-2	-37
    threading py	45	-1	-1	-1	-2	-1	-2	-37
    throwexceptionforrc	-5	-7	-7	-5	55	-5	-6	-21
    throwexceptionforrc int00	-5	-7	-7	-5	55	-5	-6	-21
    throwing	-4	-10	-8	-6	-7	-7	-15	57
    throwing inside	-4	-10	-8	-6	-7	-7	-15	57
    title	-17	78	-28	-22	-39	-19	-23	70
    tmp	-7	-12	-10	-33	-8	46	-12	37
    to	110	-317	24	44	-233	-192	-224	789
    to add	51	-22	156	-20	-12	-14	-17	-122
    to circular	-20	-21	-25	253	-19	-20	-22	-126
    to continue	-7	-9	-7	-6	-7	-6	-10	50
    to create	-7	-9	-7	-6	-7	-6	-10	50
    to display	-9	-13	-16	-12	-10	-13	-20	93
    to efficiently	-3	-7	-3	-3	-4	-5	-8	33
    to floating	-6	-8	-11	-9	-6	-7	-12	58
    to ignore	-9	-15	162	-11	-11	-8	-20	-89
    to the	-12	-10	-10	-9	-9	-11	128	-66
    to turn	-6	-8	-11	-9	-6	-7	-12	58
    to undefined	213	-38	-33	-33	-31	-28	-39	-13
    to write	-31	-44	-46	-31	-62	-24	-36	276
    toml	-27	-94	134	-29	-29	-28	-67	140
    toml caused	-14	-36	-53	-12	-13	-13	-45	186
    tools	-21	180	-6	-11	-17	-4	-10	-111
    trace	-5	-8	-7	-5	55	-5	-7	-19
    traceback	151	-25	-69	-99	7	-66	-89	189
    traceback most	151	-25	-69	-99	7	-66	-89	189
    try	-11	-19	-15	-13	-34	-12	-25	128
    try again	-11	-19	-15	-13	-34	-12	-25	128
    turn	-15	-22	151	-20	-17	-15	-32	-30
    turn them	-6	-8	-11	-9	-6	-7	-12	58
    turn validation	-9	-15	162	-11	-11	-8	-20	-89
    txt	-34	-48	-59	-53	-41	-43	-13	292
    type	-37	-60	235	-41	47	-40	33	-137
    type missing	-20	-23	70	-20	-24	-20	102	-67
    u0000	82	-24	-17	-17	-15	-13	-20	24
    u0000 in	82	-24	-17	-17	-15	-13	-20	24
    u0000f000	110	-9	-8	-7	-7	-7	-12	-61
    u0000f000 in	110	-9	-8	-7	-7	-7	-12	-61
    unable	-16	-23	-18	-14	-15	-14	-37	136
    unable to	-16	-23	-18	-14	-15	-14	-37	136
    undefined	202	161	-64	-50	-44	-40	-67	-100
    undefined call	45	-1	-1	-1	-2	-1	-2	-37
    undefinedtable	-38	-241	-66	-58	-46	-47	-65	560
    undefinedtable relation	-25	-226	-45	-42	-29	-28	-42	436
    unhandled	-28	-51	-46	-37	55	-33	-60	201
    unhandled promise	-21	-40	-36	-29	-28	-26	-47	228
    unhandledpromiserejectionwarning	-19	-33	-32	-26	-25	-23	-43	201
    unhandledpromiserejectionwarning unhandled	-19	-33	-32	-26	-25	-23	-43	201
    unicodedecodeerror	-149	-19	-17	-17	-15	-14	-20	250
    unicodedecodeerror charmap	-149	-19	-17	-17	-15	-14	-20	250
    unicodeencodeerror	687	-62	-45	-46	-51	-40	-73	-371
    unicodeencodeerror ascii	205	-7	-4	-4	-8	-4	-6	-172
    unicodeencodeerror charmap	405	-13	-11	-11	-12	-10	-14	-333
    unicodeencodeerror gbk	269	-18	-16	-15	-16	-13	-22	-168
    unicodeencodeerror utf	-154	-14	-9	-13	-9	-8	-13	220
    unknown	-43	355	-122	-47	-45	-37	-90	29
    unknown column	-28	385	-77	-33	-34	-29	-65	-121
    unless	-12	-15	-16	-15	-14	156	-21	-63
    unused	-12	-15	-16	-15	-14	156	-21	-63
    unused implementer	-12	-15	-16	-15	-14	156	-21	-63
    unused_must_use	-12	-15	-16	-15	-14	156	-21	-63
    update	-25	-63	184	-29	-21	-17	-27	-2
    urllib0	-113	-12	-6	-4	-10	-6	-20	170
    used	-21	-28	-26	-34	-32	145	-38	35
    used by	-10	-13	-10	-19	-18	-11	-17	98
    used src	-12	-15	-16	-15	-14	156	-21	-63
    user	-51	160	-16	-17	65	-14	-27	-100
    users	-26	372	-66	-62	-49	-65	-15	-88
    users user	-25	-8	-5	-8	-8	-5	-9	67
    userwarning	-3	-7	-3	-3	-4	-5	-8	33
    userwarning huggingface_hub	-3	-7	-3	-3	-4	-5	-8	33
    uses	-7	-19	-8	-9	-8	-9	-27	87
    uses symlinks	-3	-7	-3	-3	-4	-5	-8	33
    using	34	-20	-16	-142	-13	-12	54	116
    usr	1	-48	-15	-13	40	-10	-23	66
    usr bin	-23	-16	-6	-6	-16	-4	-11	82
    usr local	100	-30	-7	-5	60	-5	-10	-103
    utf	-111	-46	-37	-43	-30	-28	-49	343
    utf codec	-154	-14	-9	-13	-9	-8	-13	220
    util	-26	75	-45	-32	-32	-27	55	32
    util port	-5	-6	-8	-7	-4	-5	-9	43
    util propertyplaceholderhelper	-11	-32	-18	-15	-15	-13	10	94
    utils	14	-71	17	-18	-39	-15	-32	145
    utils py	35	-8	-5	-5	-7	-4	-11	6
    v0	-22	94	7	-27	89	-23	-50	-69
    validate	-9	-15	162	-11	-11	-8	-20	-89
    validate false	-9	-15	162	-11	-11	-8	-20	-89
    validate_python	-6	-6	15	-4	-8	-4	39	-25
    validate_python data	-6	-6	15	-4	-8	-4	39	-25
    validating	-9	-15	162	-11	-11	-8	-20	-89
    validating data	-9	-15	162	-11	-11	-8	-20	-89
    validation	-61	-85	210	-73	-73	-70	42	111
    validation errors	-42	-48	-126	-47	-47	-49	114	246
    validation off	-9	-15	162	-11	-11	-8	-20	-89
    validationerror	-24	-37	313	-26	-31	-24	-74	-97
    validationerror validation	-20	-32	272	-23	-28	-21	-68	-80
    value	12	-105	-72	-62	-70	-55	406	-54
    values	-149	-69	132	-38	-57	-32	-52	264
    variable	-30	-35	-40	-33	-30	-34	166	35
    variable tf_enable_onednn_opts	-6	-8	-11	-9	-6	-7	-12	58
    variable to	-9	-13	-16	-12	-10	-13	-20	93
    venv	12	-4	-3	-3	-4	-5	12	-5
    venv lib	12	-4	-3	-3	-4	-5	12	-5
    version	-35	-43	-32	-52	174	-28	-48	65
    version that	-3	-7	-3	-3	-4	-5	-8	33
    virtualenvs	-17	-17	-12	-32	-20	85	-20	32
    visit	23	-26	68	-22	-26	-21	96	-92
    visit https	-20	-23	70	-20	-24	-20	102	-67
    warn	-13	-17	-17	-16	-15	153	-25	-49
    warn unused_must_use	-12	-15	-16	-15	-14	156	-21	-63
    warning	-28	-29	-25	-23	-27	200	-37	-30
    warning unused	-12	-15	-16	-15	-14	156	-21	-63
    warnings	-15	-21	-18	-17	-18	153	-27	-38
    warnings html	-7	-10	-8	-7	-9	82	-12	-29
    warnings summary	-13	-19	-17	-16	-17	156	-23	-51
    was	-71	-25	-89	-81	-5	541	-117	-154
    was never	-59	-77	-71	-68	-71	561	-85	-131
    was not	-8	-22	-14	-10	82	-12	-23	5
    we	-13	-27	-17	-17	-16	107	-33	15
    web	-10	-7	-4	-3	107	-4	71	-149
    when	-29	-41	-46	-166	-3	83	-48	248
    which	-8	-23	-12	-12	-12	-11	-34	111
    which was	-4	-10	-8	-6	-7	-7	-15	57
    while	-37	-48	283	-43	-7	-36	-57	-55
    will	-9	-19	-11	-9	-11	-11	-16	86
    will still	-3	-7	-3	-3	-4	-5	-8	33
    will terminate	-5	-12	-7	-6	-7	-6	-9	53
    windows	-20	-32	-27	-28	-22	-20	-39	188
    winerror	-52	-65	-71	-74	-64	-56	-84	465
    winerror the	-10	-13	-10	-19	-18	-11	-17	98
    with	-60	-94	50	-73	22	-75	-56	286
    with catch	-4	-10	-8	-6	-7	-7	-15	57
    with non	-5	-12	-7	-6	-7	-6	-9	53
    with rust_backtrace	-9	-13	-16	-12	-10	-13	-20	93
    with validate	-9	-15	162	-11	-11	-8	-20	-89
    without	-4	-10	-8	-6	-7	-7	-15	57
    without catch	-4	-10	-8	-6	-7	-7	-15	57
    work	-6	-12	-9	-32	-7	-8	-14	88
    work but	-3	-7	-3	-3	-4	-5	-8	33
    write	176	-58	-56	-41	-74	-32	-50	135
    write data	-14	-2	-2	-2	-2	-1	-3	25
    write message	71	-6	-4	-4	-5	-4	-6	-41
    write msg	41	-1	-1	-1	-1	-1	-1	-34
    write readonly	-31	-44	-46	-31	-62	-24	-36	276
    x00	-10	-46	-27	-21	164	-20	-39	0
    xxx	-7	-8	-9	48	-6	-6	-13	1
    you	58	-73	106	-58	-53	33	-66	53
    you can	24	-26	-28	-22	-21	-19	5	87
    you choose	-9	-15	162	-11	-11	-8	-20	-89
    you may	53	-11	-15	-12	-9	-9	-16	19
    your	34	-46	-37	-32	-30	-28	-20	161
    your api	-19	-24	-25	-20	-19	-17	11	112
    your disk	-3	-7	-3	-3	-4	-5	-8	33
    your machine	-3	-7	-3	-3	-4	-5	-8	33
    zero	-5	-12	-7	-6	-7	-6	-9	53
    zero exit	-5	-12	-7	-6	-7	-6	-9	53
    """#

    static func load() throws -> RecognitionModel {
        try RecognitionModelFile.decode(Data(text.utf8), name: "built-in")
    }
}
